/**
 * Settings → Notifications: the signed-in agent's own preferences
 * (`GET/PUT /api/user_settings`): email alerts for new conversations and new
 * customer messages, and the phone registered for push notifications (set by
 * the mobile app; here it can only be removed). Loading, not-available, error
 * with retry, "nothing on" and saved states; unsaved changes are shown and the
 * form keeps them when a save fails.
 */
import { Show, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { alertChanges, describeAlerts, type AlertPreferences } from '../../lib/notifications';
import { useSession } from '../../stores/session';
import type { UserSettings } from '../../types';
import { MentionAlerts } from './mention-alerts';

function NotificationsForm(props: { initial: UserSettings; email: string | undefined; onSaved: (s: UserSettings) => void }): JSX.Element {
  const [, { api }] = useSession();
  const [saved, setSaved] = createSignal<UserSettings>(props.initial);
  const [form, setForm] = createSignal<AlertPreferences>({
    email_alert_on_new_conversation: props.initial.email_alert_on_new_conversation,
    email_alert_on_new_message: props.initial.email_alert_on_new_message,
  });
  const changes = createMemo(() => alertChanges(saved(), form()));
  const isDirty = (): boolean => Object.keys(changes()).length > 0;
  const [isSaving, setSaving] = createSignal(false);
  const [message, failed, save] = useSaver();
  const [pushMessage, pushFailed, savePush] = useSaver();

  const adopt = (next: UserSettings): void => {
    setSaved(next);
    props.onSaved(next);
  };
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (!isDirty() || isSaving()) return;
    setSaving(true);
    await save(async () => {
      const next = await api.updateUserSettings(changes());
      adopt(next);
      setForm({
        email_alert_on_new_conversation: next.email_alert_on_new_conversation,
        email_alert_on_new_message: next.email_alert_on_new_message,
      });
    }, 'Notification preferences saved.');
    setSaving(false);
  };
  const set = (key: keyof AlertPreferences, value: boolean): void => {
    setForm({ ...form(), [key]: value });
  };

  return (
    <>
      <form onSubmit={(e) => void submit(e)} aria-describedby="alerts-summary">
        <p class="small muted" id="alerts-summary" data-testid="alerts-summary">
          {describeAlerts(saved())}
        </p>
        <fieldset>
          <legend>Email me when</legend>
          <div class="field inline">
            <input
              id="alert-new-conversation"
              type="checkbox"
              checked={form().email_alert_on_new_conversation}
              onChange={(e) => set('email_alert_on_new_conversation', e.currentTarget.checked)}
            />
            <label for="alert-new-conversation">A customer starts a new conversation</label>
          </div>
          <div class="field inline">
            <input
              id="alert-new-message"
              type="checkbox"
              checked={form().email_alert_on_new_message}
              onChange={(e) => set('email_alert_on_new_message', e.currentTarget.checked)}
              aria-describedby="alert-new-message-hint"
            />
            <label for="alert-new-message">A customer sends any new message</label>
          </div>
          <p class="small muted" id="alert-new-message-hint">
            Includes the first message of a new conversation. Alerts go to <strong>{props.email ?? 'your email address'}</strong>.
          </p>
        </fieldset>
        <Status message={message()} error={failed()} testId="notifications-status" />
        <div class="form-actions">
          <button class="btn primary" type="submit" disabled={!isDirty() || isSaving()}>
            {isSaving() ? 'Saving…' : 'Save preferences'}
          </button>
          <Show when={isDirty()}>
            <span class="small muted" data-testid="unsaved">
              Unsaved changes
            </span>
          </Show>
        </div>
      </form>
      <MentionAlerts initial={props.initial} onSaved={adopt} />
      <h2>Mobile push</h2>
      <Show
        when={saved().expo_push_token}
        fallback={
          <p class="small muted" data-testid="push-none">
            No phone is registered for push notifications.
          </p>
        }
      >
        <p class="small">A phone is registered: new messages are pushed to it.</p>
        <button
          class="btn small"
          type="button"
          onClick={() =>
            void savePush(
              async () => adopt(await api.updateUserSettings({ expo_push_token: null })),
              'Push notifications to your phone are off.',
            )
          }
        >
          Stop push notifications
        </button>
      </Show>
      <Status message={pushMessage()} error={pushFailed()} />
    </>
  );
}

export function NotificationsSection(): JSX.Element {
  const [session, { api }] = useSession();
  const [data, { mutate, refetch }] = createResource(() => load(() => api.getUserSettings()));
  return (
    <Section title="Notifications" data={data} what="Notification preferences" onRetry={() => void refetch()}>
      {(initial) => (
        <NotificationsForm
          initial={initial}
          email={session.me?.email ?? session.session?.email}
          onSaved={(next) => mutate({ ok: true, value: next })}
        />
      )}
    </Section>
  );
}
