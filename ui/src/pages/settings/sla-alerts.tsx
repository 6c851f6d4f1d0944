/**
 * Settings → Notifications → SLA (issue #21; docs/sla.md): whether the signed-in agent is
 * emailed the SLA warnings and breaches that reach them (`email_alert_on_sla` of
 * `GET/PUT /api/user_settings`, on by default).
 */
import type { JSX } from 'solid-js';
import type { UserSettings } from '../../types';
import { EmailAlertToggle } from './email-alert-toggle';

export function SlaAlerts(props: { initial: UserSettings; onSaved: (s: UserSettings) => void }): JSX.Element {
  return (
    <EmailAlertToggle
      initial={props.initial}
      onSaved={props.onSaved}
      field="email_alert_on_sla"
      name="sla"
      legend="SLA"
      label="Email me SLA warnings and breaches"
      hint="A warning goes to the assignee (everyone while unassigned), a breach to the policy's escalation agent (everyone without one). The console shows them either way; this only decides the email."
      saved={{ on: 'You will be emailed SLA warnings and breaches.', off: 'SLA emails are off.' }}
    />
  );
}
