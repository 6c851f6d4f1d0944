/**
 * Gateway tests that need only a default stack, on one shared stack (tests/helpers/suite.ts, `sharedStackTest`):
 * each module below is what used to be a test file of its own; every test registers its own accounts.
 */
import './realtime/account-reminders.js';
import './realtime/idempotency.js';
import './realtime/identity-origins.js';
import './realtime/identity-tokens.js';
import './realtime/mentions.js';
import './realtime/realtime-typing.js';
import './realtime/reconnect-storm.js';
import './realtime/sessions-revoke.js';
import './realtime/slice.js';
import './realtime/team-management.js';
