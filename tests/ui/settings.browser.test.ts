/**
 * The console's settings screens in headless Chromium, on one stack and one browser (tests/ui/browser.ts,
 * `consoleSuite`): each module below is what used to be a test file of its own.
 */
import './settings/admin-settings.browser.js';
import './settings/api-keys.browser.js';
import './settings/audit-log.browser.js';
import './settings/automation.browser.js';
import './settings/copilot.browser.js';
import './settings/crm.browser.js';
import './settings/mattermost.browser.js';
import './settings/reminders.browser.js';
import './settings/saved-replies.browser.js';
import './settings/session-replay-settings.browser.js';
import './settings/team-management.browser.js';
