/**
 * The console's unit tests (no services, no browser) in one process: each module below is what used to be
 * a test file of its own (tests/helpers/modules.ts, `unitModuleTest`).
 */
import './units/alerts.js';
import './units/api-client.js';
import './units/api-copilot.js';
import './units/customer-metadata.js';
import './units/gmail-settings.js';
import './units/lists.js';
import './units/markdown.js';
import './units/mentions.js';
import './units/notifications.js';
import './units/saved-replies.js';
import './units/session-replay.js';
import './units/sla.js';
import './units/tags.js';
import './units/time-presence.js';
import './units/upload-lib.js';
import './units/webhooks.js';
import './units/wire.js';
