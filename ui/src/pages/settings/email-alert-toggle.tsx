/**
 * Settings → Notifications: one email alert of the signed-in agent that a box turns on or off
 * (an `email_alert_on_*` field of `GET/PUT /api/user_settings`), saved as soon as it is toggled;
 * a failed save puts the box back and says why. Mentions (issue #17) and SLA alerts (issue #21)
 * are two of them (mention-alerts.tsx, sla-alerts.tsx).
 */
import { createSignal, type JSX } from 'solid-js';
import { CheckRow, Status, useSaver } from '../../components/settings-kit';
import { useSession } from '../../stores/session';
import type { UserSettings } from '../../types';

export interface EmailAlertToggleProps {
  initial: UserSettings;
  onSaved: (s: UserSettings) => void;
  field: 'email_alert_on_mention' | 'email_alert_on_sla';
  /** Names the fieldset's test id (`<name>-alerts`), the box's id and its status. */
  name: string;
  legend: string;
  label: string;
  hint: string;
  /** What the status says after turning it on, and off. */
  saved: { on: string; off: string };
}

export function EmailAlertToggle(props: EmailAlertToggleProps): JSX.Element {
  const [, { api }] = useSession();
  const [on, setOn] = createSignal(props.initial[props.field]);
  const [saving, setSaving] = createSignal(false);
  const [message, failed, save] = useSaver();
  const toggle = async (next: boolean): Promise<void> => {
    setOn(next);
    setSaving(true);
    await save(
      async () => {
        try {
          props.onSaved(await api.updateUserSettings({ [props.field]: next }));
        } catch (err) {
          setOn(!next);
          throw err;
        }
      },
      next ? props.saved.on : props.saved.off,
    );
    setSaving(false);
  };
  return (
    <fieldset class="mention-alerts" data-testid={`${props.name}-alerts`}>
      <legend>{props.legend}</legend>
      <CheckRow
        id={`alert-${props.name}`}
        checked={on()}
        disabled={saving()}
        onChange={(v) => void toggle(v)}
        describedBy={`alert-${props.name}-hint`}
      >
        {props.label}
      </CheckRow>
      <p class="small muted" id={`alert-${props.name}-hint`}>
        {props.hint}
      </p>
      <Status message={message()} error={failed()} testId={`${props.name}-alerts-status`} />
    </fieldset>
  );
}
