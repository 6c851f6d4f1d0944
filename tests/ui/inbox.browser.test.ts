/**
 * The console's inbox in headless Chromium, on one stack and one browser (tests/ui/browser.ts, `consoleSuite`):
 * the main flow, opening by link, and search; each module below is what used to be a test file of its own.
 */
import './inbox/console.browser.js';
import './inbox/open-by-link.browser.js';
import './inbox/search.browser.js';
import './inbox/scheduled-sends.browser.js';
import './inbox/sla.browser.js';
