/**
 * The REST families on two accounts, on one shared stack (tests/helpers/suite.ts, `sharedTwoAccountTest`):
 * each module below is what used to be a test file of its own, with its own accounts A and B.
 */
import './rest/api-keys.js';
import './rest/companies-issues.js';
import './rest/customer-detail.js';
import './rest/customers.js';
import './rest/records.js';
import './rest/reporting.js';
import './rest/users.js';
import './rest/widget-and-context.js';
