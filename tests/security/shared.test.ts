/**
 * Security tests that need only a default stack, on one shared stack (tests/helpers/suite.ts, `sharedStackTest`):
 * each module below is what used to be a test file of its own; every test registers its own accounts.
 */
import './shared/client-message-id-cross-author.js';
import './shared/deep-json-and-slonik-token-bodies.js';
import './shared/expired-tokens-purged.js';
import './shared/identify-authorization-bypass.js';
import './shared/non-admin-account-wide-writes.js';
import './shared/public-conversation-sms-source.js';
import './shared/shared-conversation-leaks-customer-details.js';
import './shared/shared-conversation-link-revoke.js';
import './shared/webhook-secret-at-rest.js';
