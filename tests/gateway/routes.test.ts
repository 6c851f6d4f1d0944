/**
 * Route families, their bad input and tenant isolation, on one shared stack (tests/helpers/suite.ts,
 * `sharedModuleTest`): each module below is what used to be a test file of its own, with its own accounts.
 */
import './routes/account-bad-input.js';
import './routes/openapi.js';
import './routes/record-events.js';
import './routes/search.js';
import './routes/typed-client.js';
