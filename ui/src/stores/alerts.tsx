/**
 * Alerts of the signed-in agent (issue #17 item 5): listens to the agent
 * topic, asks lib/alerts.ts whether a message alerts this agent, and then
 * shows a desktop notification (click: focus the tab and open the
 * conversation), plays a short generated tone when the agent wants sound, and
 * keeps the unread count in the tab title ("(3) Netia": conversations that
 * alerted and that the agent has not opened since). Preferences come from
 * `GET /api/user_settings` and are updated by Settings → Notifications
 * (`setAlertPrefs`). Registers the service worker (sw.js) that shows Web
 * Pushes while no console tab is open.
 */
import { useLocation, useNavigate } from '@solidjs/router';
import { createEffect, createSignal, onCleanup, onMount, untrack } from 'solid-js';
import { EVENTS } from '../../../gateway/protocol/index.js';
import {
  addUnread,
  clearUnread,
  decideAlert,
  DEFAULT_ALERT_PREFS,
  stripCount,
  titleWithCount,
  type Alert,
  type AlertPrefs,
} from '../lib/alerts';
import { currentPushSubscription, playAlertTone, registerServiceWorker } from '../lib/notifications';
import { useConversations } from './conversations';
import { useRealtime } from './realtime';
import { useSession } from './session';

const [prefs, setPrefs] = createSignal<AlertPrefs>(DEFAULT_ALERT_PREFS);
const [unread, setUnread] = createSignal<string[]>([]);

/** The agent's alert preferences as the console applies them. */
export const alertPrefs = prefs;
/** Settings → Notifications calls this after a save, so the change applies at once. */
export function setAlertPrefs(next: AlertPrefs): void {
  setPrefs({
    desktop_notifications: next.desktop_notifications,
    notification_sound: next.notification_sound,
    notify_on_new_conversation: next.notify_on_new_conversation,
    notify_on_new_message: next.notify_on_new_message,
    notify_on_mention: next.notify_on_mention,
  });
}
/** Conversations with an alert the agent has not opened yet. */
export const unreadAlerts = unread;

function conversationOnScreen(pathname: string): string | undefined {
  return /^\/(?:inbox|inboxes)\/[^/]+\/([^/]+)$/.exec(pathname)?.[1];
}

async function showNotification(alert: Alert, onClick: () => void): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const options: NotificationOptions = { body: alert.body, tag: alert.tag, icon: '/icon-192.png', data: { url: alert.url } };
  try {
    const n = new Notification(alert.title, options);
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    // Android Chrome allows notifications only through the service worker (its click opens the conversation: sw.ts).
    const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
    await registration?.showNotification(alert.title, options).catch(() => undefined);
  }
}

/** Mount once inside the signed-in console (app.tsx). */
export function useAlerts(): void {
  const [session, { api }] = useSession();
  const [, realtime] = useRealtime();
  const [conversations] = useConversations();
  const navigate = useNavigate();
  const location = useLocation();

  onMount(() => {
    void api
      .getUserSettings()
      .then(setAlertPrefs)
      .catch(() => undefined);
    registerServiceWorker();
    // Keep this device's push subscription known to the server (it is an upsert; the server forgets one its push service drops).
    void currentPushSubscription()
      .then((s) => s && api.createPushSubscription(s.toJSON()))
      .catch(() => undefined);
  });

  // From the service worker (sw.ts): a click on a push notification while this tab is open opens the
  // conversation here; a subscription the browser replaced is registered (the server validates it).
  const onWorkerMessage = (e: MessageEvent): void => {
    const data = e.data as { type?: unknown; url?: unknown; subscription?: unknown } | null;
    if (data?.type === 'netia:open' && typeof data.url === 'string' && data.url.startsWith('/')) navigate(data.url);
    if (data?.type === 'netia:push-subscription' && typeof data.subscription === 'object' && data.subscription !== null) {
      void api.createPushSubscription(data.subscription as PushSubscriptionJSON).catch(() => undefined);
    }
  };
  navigator.serviceWorker?.addEventListener('message', onWorkerMessage);
  onCleanup(() => navigator.serviceWorker?.removeEventListener('message', onWorkerMessage));

  const watching = (): string | undefined => (document.visibilityState === 'visible' ? conversationOnScreen(location.pathname) : undefined);

  const unsubscribe = realtime.subscribe((e) => {
    if (e.event !== EVENTS.shout) return;
    const me = session.session?.user_id;
    if (me === undefined) return;
    const m = e.payload;
    const alert = decideAlert(m, {
      me,
      prefs: prefs(),
      assigneeId: conversations.byId[m.conversation_id]?.assignee_id,
      watching: watching(),
    });
    if (!alert) return;
    setUnread(addUnread(unread(), alert.conversationId));
    void showNotification(alert, () => navigate(alert.url));
    if (alert.sound) playAlertTone();
  });
  onCleanup(unsubscribe);

  // Opening a conversation reads its alerts; coming back to a tab that shows one reads it too.
  const readOnScreen = (pathname: string): void => {
    const current = untrack(unread);
    const next = clearUnread(current, conversationOnScreen(pathname));
    if (next.length !== current.length) setUnread(next);
  };
  createEffect(() => readOnScreen(location.pathname));
  const onVisible = (): void => {
    if (document.visibilityState === 'visible') readOnScreen(location.pathname);
  };
  document.addEventListener('visibilitychange', onVisible);
  onCleanup(() => document.removeEventListener('visibilitychange', onVisible));

  // The count goes in front of whatever title the page sets (the inbox sets its own): re-applied when either changes.
  const applyTitle = (): void => {
    const next = titleWithCount(untrack(unread).length, document.title || 'Netia');
    if (document.title !== next) document.title = next;
  };
  createEffect(() => {
    unread();
    applyTitle();
  });
  const titleObserver = new MutationObserver(applyTitle);
  titleObserver.observe(document.head, { childList: true, characterData: true, subtree: true });
  onCleanup(() => {
    titleObserver.disconnect();
    setUnread([]);
    document.title = stripCount(document.title);
  });
}

/** `useAlerts` as a component, placed inside the console's providers (app.tsx). */
export function Alerts(): null {
  useAlerts();
  return null;
}
