/**
 * Settings → Notifications → Mentions (issue #17): whether the signed-in agent
 * is emailed when a teammate mentions them in a private note
 * (`email_alert_on_mention` of `GET/PUT /api/user_settings`, on by default).
 */
import type { JSX } from 'solid-js';
import type { UserSettings } from '../../types';
import { EmailAlertToggle } from './email-alert-toggle';

export function MentionAlerts(props: { initial: UserSettings; onSaved: (s: UserSettings) => void }): JSX.Element {
  return (
    <EmailAlertToggle
      initial={props.initial}
      onSaved={props.onSaved}
      field="email_alert_on_mention"
      name="mention"
      legend="Mentions"
      label="Email me when a teammate mentions me in a note"
      hint="You always see mentions in the console (the Mentions list and a notice); this only decides the email."
      saved={{ on: 'You will be emailed when a teammate mentions you.', off: 'Mention emails are off.' }}
    />
  );
}
