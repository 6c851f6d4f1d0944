/**
 * Gateway routes and socket topics on one shared stack (tests/helpers/suite.ts, `sharedStackTest`): each
 * module below was a test file of its own with a default stack. Grouped because each test process pays
 * seconds to load the code and start a stack, more than most of these modules' tests take.
 */
import './routes/account-bad-input.js';
import './routes/account-reminders.js';
import './routes/api-v1.js';
import './routes/conversation-delete.js';
import './routes/conversation-extras.js';
import './routes/conversation-lists.js';
import './routes/conversation-tags.js';
import './routes/idempotency.js';
import './routes/identity-origins.js';
import './routes/identity-tokens.js';
import './routes/issue-events-channels.js';
import './routes/mentions.js';
import './routes/openapi.js';
import './routes/presence-state.js';
import './routes/realtime-typing.js';
import './routes/record-events.js';
import './routes/scheduled-messages.js';
import './routes/search.js';
import './routes/sessions-revoke.js';
import './routes/slice.js';
import './routes/team-management.js';
import './routes/tenant-isolation.js';
import './routes/trusted-proxies.js';
import './routes/typed-client.js';
import './routes/update-error-types.js';
