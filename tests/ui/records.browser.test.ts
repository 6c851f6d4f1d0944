/**
 * The console's records in headless Chromium, on one stack and one browser (tests/ui/browser.ts, `consoleSuite`):
 * customers, companies and issues (and their loading / failure / no-permission states), tags and mentions; each
 * module below is what used to be a test file of its own.
 */
import './records/companies-issues.browser.js';
import './records/csat.browser.js';
import './records/customers.browser.js';
import './records/mentions.browser.js';
import './records/notifications.browser.js';
import './records/record-states.browser.js';
import './records/tags.browser.js';
