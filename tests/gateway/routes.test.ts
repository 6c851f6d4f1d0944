/**
 * Gateway routes and socket topics on one shared stack (tests/helpers/suite.ts, `sharedStackTest`): each
 * module below was a test file of its own with a default stack. Grouped because each test process pays
 * seconds to load the code and start a stack, more than most of these modules' tests take.
 */
import './routes/account-reminders.js';
import './routes/idempotency.js';
import './routes/identity-origins.js';
import './routes/identity-tokens.js';
import './routes/mentions.js';
import './routes/realtime-typing.js';
import './routes/scheduled-messages.js';
import './routes/sessions-revoke.js';
import './routes/slice.js';
import './routes/team-management.js';
