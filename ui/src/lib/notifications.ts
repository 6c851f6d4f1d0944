/**
 * Notification preferences (`user_settings`, docs/compatibility.md#accounts-users-invitations-and-api-keys): which
 * email alerts an agent receives. Framework-free, so ava tests it directly.
 *
 * The original sends "new message" alerts for every public customer message
 * and "new conversation" alerts for a conversation's first message only; an
 * agent with the first on therefore also hears about new conversations.
 */
import type { UserSettings } from '../types.js';

export type AlertPreferences = Pick<UserSettings, 'email_alert_on_new_message' | 'email_alert_on_new_conversation'>;

export const ALERT_KEYS = ['email_alert_on_new_conversation', 'email_alert_on_new_message'] as const;

/** Only the preferences that differ from what is saved (the body of the PUT); empty when nothing changed. */
export function alertChanges(saved: AlertPreferences, form: AlertPreferences): Partial<AlertPreferences> {
  const changes: Partial<AlertPreferences> = {};
  for (const key of ALERT_KEYS) if (saved[key] !== form[key]) changes[key] = form[key];
  return changes;
}

/** One sentence saying what the agent will be emailed about. */
export function describeAlerts(p: AlertPreferences): string {
  if (p.email_alert_on_new_message) return 'You get an email for every new customer message, including the first one of a conversation.';
  if (p.email_alert_on_new_conversation) return 'You get an email when a customer starts a new conversation.';
  return 'Email alerts are off: you only see new conversations and messages here in the console.';
}
