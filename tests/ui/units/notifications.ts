/** Notification preferences of the console (ui/src/lib/notifications.ts, pure functions). */
import { unitModuleTest } from '../../helpers/modules.js';
import { alertChanges, describeAlerts } from '../../../ui/src/lib/notifications.js';

const test = unitModuleTest(import.meta.url);

const off = { email_alert_on_new_message: false, email_alert_on_new_conversation: false };

test('only the preferences that differ from the saved ones are sent', (t) => {
  t.deepEqual(alertChanges(off, off), {});
  t.deepEqual(alertChanges(off, { ...off, email_alert_on_new_conversation: true }), { email_alert_on_new_conversation: true });
  t.deepEqual(alertChanges({ email_alert_on_new_message: true, email_alert_on_new_conversation: true }, off), {
    email_alert_on_new_message: false,
    email_alert_on_new_conversation: false,
  });
});

test('the summary says what the agent is emailed about, and that nothing is when both are off', (t) => {
  t.regex(describeAlerts(off), /^Email alerts are off/);
  t.regex(describeAlerts({ ...off, email_alert_on_new_conversation: true }), /starts a new conversation/);
  // Every message includes the first one: the broader preference wins.
  t.regex(describeAlerts({ email_alert_on_new_message: true, email_alert_on_new_conversation: false }), /every new customer message/);
  t.regex(describeAlerts({ email_alert_on_new_message: true, email_alert_on_new_conversation: true }), /every new customer message/);
});
