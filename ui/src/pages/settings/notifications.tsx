/**
 * Settings → Notifications: the signed-in agent's own preferences
 * (`GET/PUT /api/user_settings`): desktop notifications (on/off, sound, and
 * which events: new conversations, new customer messages in conversations
 * assigned to me or nobody, mentions), the browser's notification permission
 * (asked once, from a button, with an explanation; the denied state says how
 * to undo it), Web Push on this device and the agent's other devices, email
 * alerts for new conversations and new customer messages, mentions (mention-alerts.tsx) and SLA
 * warnings and breaches (sla-alerts.tsx), and the phone
 * registered by the mobile app (here it can only be removed). Loading,
 * not-available, error with retry, "nothing on" and saved states; unsaved
 * changes are shown and the form keeps them when a save fails.
 */
import { For, Show, createMemo, createResource, createSignal, onMount, type JSX } from 'solid-js';
import { CheckRow, Section, Status, load, useSaver } from '../../components/settings-kit';
import { ALERT_PREF_KEYS, describePermission, type AlertPrefs, type PermissionState } from '../../lib/alerts';
import {
  alertChanges,
  currentPushSubscription,
  describeAlerts,
  disablePush,
  enablePush,
  pushSupported,
  type AlertPreferences,
} from '../../lib/notifications';
import { setAlertPrefs } from '../../stores/alerts';
import { useSession } from '../../stores/session';
import type { PushSubscriptionJson } from '../../lib/wire';
import type { UserSettings } from '../../types';
import { MentionAlerts } from './mention-alerts';
import { SlaAlerts } from './sla-alerts';

type FormState = AlertPreferences & AlertPrefs;

function formOf(s: UserSettings): FormState {
  return {
    email_alert_on_new_conversation: s.email_alert_on_new_conversation,
    email_alert_on_new_message: s.email_alert_on_new_message,
    desktop_notifications: s.desktop_notifications,
    notification_sound: s.notification_sound,
    notify_on_new_conversation: s.notify_on_new_conversation,
    notify_on_new_message: s.notify_on_new_message,
    notify_on_mention: s.notify_on_mention,
  };
}

function permissionNow(): PermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** The browser's permission: asked only from the button, once, after saying why. */
function PermissionPanel(): JSX.Element {
  const [state, setState] = createSignal<PermissionState>(permissionNow());
  const ask = async (): Promise<void> => {
    if (typeof Notification === 'undefined') return;
    setState(await Notification.requestPermission());
  };
  return (
    <div class="permission" data-testid="notification-permission" data-state={state()}>
      <p class="small" classList={{ muted: state() !== 'denied', 'error-text': state() === 'denied' }} id="permission-text">
        {describePermission(state())}
      </p>
      <Show when={state() === 'default'}>
        <button class="btn small" type="button" aria-describedby="permission-text" onClick={() => void ask()}>
          Allow notifications in this browser
        </button>
      </Show>
    </div>
  );
}

/** Web Push on this device, and the agent's other devices. */
function PushDevices(): JSX.Element {
  const [, { api }] = useSession();
  const [devices, { refetch }] = createResource(() => load(() => api.listPushSubscriptions()));
  const [thisEndpoint, setThisEndpoint] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [message, failed, save] = useSaver();
  onMount(
    () =>
      void currentPushSubscription().then(
        (s) => setThisEndpoint(s?.endpoint ?? null),
        () => undefined,
      ),
  );
  const deviceList = (): PushSubscriptionJson[] => {
    const d = devices();
    return d?.ok ? d.value : [];
  };
  const isOn = (): boolean => {
    const endpoint = thisEndpoint();
    return !!endpoint && deviceList().some((d) => d.endpoint === endpoint);
  };
  const toggle = async (): Promise<void> => {
    setBusy(true);
    await save(
      async () => {
        if (isOn()) await disablePush(api);
        else await enablePush(api);
        setThisEndpoint((await currentPushSubscription())?.endpoint ?? null);
        await refetch();
      },
      isOn() ? 'Push notifications to this device are off.' : 'This device now gets push notifications, even with Netia closed.',
    );
    setBusy(false);
  };
  const remove = async (id: string): Promise<void> => {
    await save(async () => {
      await api.deletePushSubscription(id);
      await refetch();
    }, 'Device removed.');
  };
  return (
    <section aria-labelledby="push-title">
      <h2 id="push-title">Push to this device</h2>
      <p class="small muted">
        With push on, this browser or phone shows Netia's notifications even when no Netia tab is open (on a phone, install Netia to the
        home screen first).
      </p>
      <Show
        when={pushSupported()}
        fallback={
          <p class="small muted" data-testid="push-unsupported">
            This browser cannot receive push notifications.
          </p>
        }
      >
        <button class="btn small" type="button" disabled={busy()} onClick={() => void toggle()} data-testid="push-toggle">
          {isOn() ? 'Stop push to this device' : 'Send push notifications to this device'}
        </button>
      </Show>
      <Show when={deviceList().length > 0}>
        <ul class="device-list" aria-label="Devices that get your push notifications">
          <For each={deviceList()}>
            {(d) => (
              <li>
                <span class="device-name">
                  {d.endpoint === thisEndpoint() ? 'This device' : deviceName(d.user_agent)}
                  <span class="small muted">
                    {' '}
                    · {d.last_success_at ? `last push ${new Date(d.last_success_at).toLocaleString()}` : 'no push yet'}
                  </span>
                </span>
                <button
                  class="btn small ghost"
                  type="button"
                  onClick={() => void remove(d.id)}
                  aria-label={`Remove ${d.endpoint === thisEndpoint() ? 'this device' : deviceName(d.user_agent)}`}
                >
                  Remove
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Status message={message()} error={failed()} testId="push-status" />
    </section>
  );
}

function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'A browser';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom/.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'A browser';
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

function NotificationsForm(props: { initial: UserSettings; email: string | undefined; onSaved: (s: UserSettings) => void }): JSX.Element {
  const [, { api }] = useSession();
  const [saved, setSaved] = createSignal<UserSettings>(props.initial);
  const [form, setForm] = createSignal<FormState>(formOf(props.initial));
  const changes = createMemo(() => {
    const all: Partial<FormState> = alertChanges(saved(), form());
    for (const key of ALERT_PREF_KEYS) if (saved()[key] !== form()[key]) all[key] = form()[key];
    return all;
  });
  const isDirty = (): boolean => Object.keys(changes()).length > 0;
  const [isSaving, setSaving] = createSignal(false);
  const [message, failed, save] = useSaver();
  const [pushMessage, pushFailed, savePush] = useSaver();

  const adopt = (next: UserSettings): void => {
    setSaved(next);
    setAlertPrefs(next);
    props.onSaved(next);
  };
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (!isDirty() || isSaving()) return;
    setSaving(true);
    await save(async () => {
      const next = await api.updateUserSettings(changes());
      adopt(next);
      setForm(formOf(next));
    }, 'Notification preferences saved.');
    setSaving(false);
  };
  const set = (key: keyof FormState, value: boolean): void => {
    setForm({ ...form(), [key]: value });
  };

  return (
    <>
      <form onSubmit={(e) => void submit(e)} aria-describedby="alerts-summary">
        <fieldset>
          <legend>In this browser</legend>
          <PermissionPanel />
          <CheckRow id="desktop-notifications" checked={form().desktop_notifications} onChange={(v) => set('desktop_notifications', v)}>
            Show desktop notifications (and push to my devices)
          </CheckRow>
          <CheckRow
            id="notification-sound"
            checked={form().notification_sound}
            onChange={(v) => set('notification_sound', v)}
            disabled={!form().desktop_notifications}
          >
            Play a short sound with each notification
          </CheckRow>
        </fieldset>
        <fieldset disabled={!form().desktop_notifications}>
          <legend>Notify me about</legend>
          <CheckRow
            id="notify-new-conversation"
            checked={form().notify_on_new_conversation}
            onChange={(v) => set('notify_on_new_conversation', v)}
          >
            New conversations
          </CheckRow>
          <CheckRow id="notify-new-message" checked={form().notify_on_new_message} onChange={(v) => set('notify_on_new_message', v)}>
            New customer messages in conversations assigned to me or to nobody
          </CheckRow>
          <CheckRow id="notify-mention" checked={form().notify_on_mention} onChange={(v) => set('notify_on_mention', v)}>
            Teammates mentioning me in a private note
          </CheckRow>
        </fieldset>
        <p class="small muted" id="alerts-summary" data-testid="alerts-summary">
          {describeAlerts(saved())}
        </p>
        <fieldset>
          <legend>Email me when</legend>
          <CheckRow
            id="alert-new-conversation"
            checked={form().email_alert_on_new_conversation}
            onChange={(v) => set('email_alert_on_new_conversation', v)}
          >
            A customer starts a new conversation
          </CheckRow>
          <CheckRow
            id="alert-new-message"
            checked={form().email_alert_on_new_message}
            onChange={(v) => set('email_alert_on_new_message', v)}
            describedBy="alert-new-message-hint"
          >
            A customer sends any new message
          </CheckRow>
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
      <SlaAlerts initial={props.initial} onSaved={adopt} />
      <PushDevices />
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
