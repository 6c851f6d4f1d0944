/**
 * Settings → Notifications → Mentions (issue #17): whether the signed-in agent
 * is emailed when a teammate mentions them in a private note
 * (`email_alert_on_mention` of `GET/PUT /api/user_settings`, on by default).
 * Saved as soon as it is toggled; a failed save puts the box back and says why.
 */
import { createSignal, type JSX } from 'solid-js';
import { CheckRow, Status, useSaver } from '../../components/settings-kit';
import { useSession } from '../../stores/session';
import type { UserSettings } from '../../types';

export function MentionAlerts(props: { initial: UserSettings; onSaved: (s: UserSettings) => void }): JSX.Element {
  const [, { api }] = useSession();
  const [on, setOn] = createSignal(props.initial.email_alert_on_mention);
  const [saving, setSaving] = createSignal(false);
  const [message, failed, save] = useSaver();
  const toggle = async (next: boolean): Promise<void> => {
    setOn(next);
    setSaving(true);
    await save(
      async () => {
        try {
          props.onSaved(await api.updateUserSettings({ email_alert_on_mention: next }));
        } catch (err) {
          setOn(!next);
          throw err;
        }
      },
      next ? 'You will be emailed when a teammate mentions you.' : 'Mention emails are off.',
    );
    setSaving(false);
  };
  return (
    <fieldset class="mention-alerts" data-testid="mention-alerts">
      <legend>Mentions</legend>
      <CheckRow id="alert-mention" checked={on()} disabled={saving()} onChange={(v) => void toggle(v)} describedBy="alert-mention-hint">
        Email me when a teammate mentions me in a note
      </CheckRow>
      <p class="small muted" id="alert-mention-hint">
        You always see mentions in the console (the Mentions list and a notice); this only decides the email.
      </p>
      <Status message={message()} error={failed()} testId="mention-alerts-status" />
    </fieldset>
  );
}
