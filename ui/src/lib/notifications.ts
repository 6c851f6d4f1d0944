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

// --- Console alerts and Web Push (issue #17 item 5) -------------------------
// The browser side of "being told": the service worker, the push subscription
// of this device, and a short tone generated with Web Audio (no sound file).

/** The key a browser subscribes with, as `pushManager.subscribe` wants it (base64url → bytes). */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const text = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Register the console's service worker (built as /sw.js: ui/src/sw.ts). Silent where unsupported (dev server, old browsers). */
export function registerServiceWorker(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}

/** Whether this browser can receive Web Push at all. */
export function pushSupported(): boolean {
  return typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof window !== 'undefined' && 'PushManager' in window;
}

/** This device's current push subscription, if any. */
export async function currentPushSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

interface PushClient {
  getVapidPublicKey(): Promise<string>;
  createPushSubscription(s: PushSubscriptionJSON): Promise<{ id: string }>;
  listPushSubscriptions(): Promise<ReadonlyArray<{ id: string; endpoint: string }>>;
  deletePushSubscription(id: string): Promise<unknown>;
}

/** Subscribe this device to Web Push and register it with the server (asks the notification permission if needed). */
export async function enablePush(api: PushClient): Promise<void> {
  if (!pushSupported()) throw new Error('This browser cannot receive push notifications.');
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  await navigator.serviceWorker.ready;
  const key = applicationServerKey(await api.getVapidPublicKey());
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made with another key (the deployment's key changed) cannot be used: replace it.
  const current = subscription?.options.applicationServerKey;
  if (subscription && current && !sameBytes(new Uint8Array(current), key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await api.createPushSubscription(subscription.toJSON());
}

/** Stop Web Push on this device: forget it on the server and unsubscribe the browser. */
export async function disablePush(api: PushClient): Promise<void> {
  const subscription = await currentPushSubscription();
  if (!subscription) return;
  const mine = (await api.listPushSubscriptions()).find((s) => s.endpoint === subscription.endpoint);
  if (mine) await api.deletePushSubscription(mine.id);
  await subscription.unsubscribe();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

let audio: AudioContext | undefined;

/** A short two-note chime (about 0.3 s), generated: no sound file in the bundle. */
export function playAlertTone(): void {
  const Ctor = typeof window !== 'undefined' ? window.AudioContext : undefined;
  if (!Ctor) return;
  try {
    audio ??= new Ctor();
    const start = audio.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t0 = start + i * 0.12;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.2, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.18);
      osc.connect(gain).connect(audio.destination);
      osc.start(t0);
      osc.stop(t0 + 0.2);
    }
  } catch {
    // Autoplay policy or no audio device: the notification still shows.
  }
}
