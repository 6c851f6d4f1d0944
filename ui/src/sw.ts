/**
 * The console's service worker (issue #17 item 5), built by ui/vite.config.ts
 * as its own file, `/sw.js`, served at the console's root scope
 * (gateway/routes/pages.ts). It shows Web Pushes (services/push: the payload
 * is `pushPayloadSchema` of gateway/protocol/wire/push.ts) when no console tab
 * has the focus — a focused console shows its own alert (stores/alerts.tsx),
 * with the same tag, so the two never stack up — and on a click focuses a
 * console tab and opens the conversation there, or opens a new one. When the
 * browser replaces the push subscription (`pushsubscriptionchange`), it hands
 * the new one to every open console tab, which registers it with the server
 * (stores/alerts.tsx; a console opened later re-registers its device anyway).
 * No caching and no offline pages: the console needs the server anyway.
 * Self-contained (no imports), so nothing of the app is bundled into it.
 */

interface PushPayload {
  title: string;
  body: string;
  tag: string;
  url: string;
}
interface WindowClientLike {
  url: string;
  focused: boolean;
  focus(): Promise<WindowClientLike>;
  postMessage(message: unknown): void;
}
interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface PushEventLike extends ExtendableEventLike {
  data: { json(): unknown; text(): string } | null;
}
interface NotificationEventLike extends ExtendableEventLike {
  notification: Notification;
}
interface PushSubscriptionLike {
  toJSON(): unknown;
  options?: { applicationServerKey: ArrayBuffer | null };
}
interface PushSubscriptionChangeEventLike extends ExtendableEventLike {
  oldSubscription?: PushSubscriptionLike | null;
  newSubscription?: PushSubscriptionLike | null;
}
interface ServiceWorkerScopeLike {
  location: Location;
  registration: {
    showNotification(title: string, options?: NotificationOptions): Promise<void>;
    pushManager: {
      getSubscription(): Promise<PushSubscriptionLike | null>;
      subscribe(options: { userVisibleOnly: boolean; applicationServerKey: ArrayBuffer }): Promise<PushSubscriptionLike>;
    };
  };
  clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClientLike[]>;
    openWindow(url: string): Promise<WindowClientLike | null>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'push', listener: (e: PushEventLike) => void): void;
  addEventListener(type: 'notificationclick', listener: (e: NotificationEventLike) => void): void;
  addEventListener(type: 'pushsubscriptionchange', listener: (e: PushSubscriptionChangeEventLike) => void): void;
}

const sw = self as unknown as ServiceWorkerScopeLike;

function readPayload(e: PushEventLike): PushPayload | null {
  try {
    const p = e.data?.json() as Partial<PushPayload> | undefined;
    if (!p || typeof p.title !== 'string' || typeof p.url !== 'string') return null;
    return { title: p.title, body: typeof p.body === 'string' ? p.body : '', tag: typeof p.tag === 'string' ? p.tag : 'netia', url: p.url };
  } catch {
    return null;
  }
}

/** Only console paths of this origin are opened (a payload cannot send the agent elsewhere). */
function safePath(url: string): string {
  return /^\/(?:inbox|inboxes)\/[A-Za-z0-9/_-]*$/.test(url) ? url : '/inbox/open';
}

sw.addEventListener('install', (e) => e.waitUntil(sw.skipWaiting()));
sw.addEventListener('activate', (e) => e.waitUntil(sw.clients.claim()));

sw.addEventListener('push', (e) => {
  const payload = readPayload(e);
  e.waitUntil(
    (async () => {
      const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
      if (payload && windows.some((w) => w.focused)) return; // the focused console alerts by itself
      await sw.registration.showNotification(payload?.title ?? 'Netia', {
        body: payload?.body ?? 'Something new in the console.',
        tag: payload?.tag ?? 'netia',
        icon: '/icon-192.png',
        badge: '/icon-192.png',
        data: { url: safePath(payload?.url ?? '/inbox/open') },
      });
    })(),
  );
});

sw.addEventListener('notificationclick', (e) => {
  e.notification.close();
  const data = e.notification.data as { url?: unknown } | null;
  const path = safePath(typeof data?.url === 'string' ? data.url : '/inbox/open');
  e.waitUntil(
    (async () => {
      const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const tab = windows.find((w) => new URL(w.url).origin === sw.location.origin);
      if (tab) {
        await tab.focus();
        tab.postMessage({ type: 'netia:open', url: path });
        return;
      }
      await sw.clients.openWindow(path);
    })(),
  );
});

// The push service rotated or dropped the subscription: use the new one, or subscribe again with the
// old one's key, and let the open console tabs register it (the service worker holds no session).
sw.addEventListener('pushsubscriptionchange', (e) => {
  e.waitUntil(
    (async () => {
      let next = e.newSubscription ?? (await sw.registration.pushManager.getSubscription());
      const key = e.oldSubscription?.options?.applicationServerKey;
      if (!next && key) next = await sw.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      if (!next) return;
      const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const w of windows) w.postMessage({ type: 'netia:push-subscription', subscription: next.toJSON() });
    })(),
  );
});
