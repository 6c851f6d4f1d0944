/**
 * Settings → Notifications → SLA (issue #21; docs/sla.md): whether the signed-in agent is
 * emailed the SLA warnings and breaches that reach them (`email_alert_on_sla` of
 * `GET/PUT /api/user_settings`, on by default). Saved as soon as it is toggled; a failed save
 * puts the box back and says why.
 */
import { createSignal, type JSX } from 'solid-js';
import { CheckRow, Status, useSaver } from '../../components/settings-kit';
import { useSession } from '../../stores/session';
import type { UserSettings } from '../../types';

export function SlaAlerts(props: { initial: UserSettings; onSaved: (s: UserSettings) => void }): JSX.Element {
  const [, { api }] = useSession();
  const [on, setOn] = createSignal(props.initial.email_alert_on_sla);
  const [saving, setSaving] = createSignal(false);
  const [message, failed, save] = useSaver();
  const toggle = async (next: boolean): Promise<void> => {
    setOn(next);
    setSaving(true);
    await save(
      async () => {
        try {
          props.onSaved(await api.updateUserSettings({ email_alert_on_sla: next }));
        } catch (err) {
          setOn(!next);
          throw err;
        }
      },
      next ? 'You will be emailed SLA warnings and breaches.' : 'SLA emails are off.',
    );
    setSaving(false);
  };
  return (
    <fieldset class="mention-alerts" data-testid="sla-alerts">
      <legend>SLA</legend>
      <CheckRow id="alert-sla" checked={on()} disabled={saving()} onChange={(v) => void toggle(v)} describedBy="alert-sla-hint">
        Email me SLA warnings and breaches
      </CheckRow>
      <p class="small muted" id="alert-sla-hint">
        A warning goes to the assignee (everyone while unassigned), a breach to the policy's escalation agent (everyone without one). The
        console shows them either way; this only decides the email.
      </p>
      <Status message={message()} error={failed()} testId="sla-alerts-status" />
    </fieldset>
  );
}
