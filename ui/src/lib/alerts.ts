/**
 * "Being told" (issue #17 item 5): the console's decision whether an event
 * alerts the signed-in agent, what the alert says, and the tab title with the
 * unread count. Framework-free, so ava tests it directly; the store that acts
 * on it (desktop notification, sound, title) is stores/alerts.tsx.
 *
 * The rules are the server's for Web Push (services/push/destination.ts):
 *  - a customer's first message (a new conversation) alerts agents with "new
 *    conversations" on; any customer message alerts agents with "new
 *    messages" on when the conversation is assigned to them or to nobody;
 *  - a private note whose `mentioned_user_ids` includes the agent (and that
 *    the agent did not write) alerts agents with "mentions" on;
 *  - nothing alerts with "desktop notifications" off, and nothing shows while
 *    the agent is looking at that very conversation in a visible tab.
 */
import type { AlertKind, Message, UserSettings } from './wire.js';

export type AlertPrefs = Pick<
  UserSettings,
  'desktop_notifications' | 'notification_sound' | 'notify_on_new_conversation' | 'notify_on_new_message' | 'notify_on_mention'
>;

export const ALERT_PREF_KEYS = [
  'desktop_notifications',
  'notification_sound',
  'notify_on_new_conversation',
  'notify_on_new_message',
  'notify_on_mention',
] as const satisfies ReadonlyArray<keyof AlertPrefs>;

/** The server's defaults (migrations/0025), used until the agent's settings have loaded. */
export const DEFAULT_ALERT_PREFS: AlertPrefs = {
  desktop_notifications: true,
  notification_sound: false,
  notify_on_new_conversation: true,
  notify_on_new_message: true,
  notify_on_mention: true,
};

type AlertMessage = Pick<Message, 'id' | 'seq' | 'type' | 'private' | 'customer_id' | 'user_id' | 'body' | 'conversation_id'> &
  Partial<Pick<Message, 'mentioned_user_ids' | 'customer' | 'user'>>;

/** Which kind of alert a message is for agent `me`, before preferences; undefined when it is none. */
export function alertKindFor(m: AlertMessage, me: number): AlertKind | undefined {
  if (m.private || m.type === 'note') {
    return m.user_id !== me && (m.mentioned_user_ids ?? []).includes(me) ? 'mention' : undefined;
  }
  if (typeof m.customer_id !== 'string' || m.user_id !== null || m.type !== 'reply') return undefined;
  return m.seq === 1 ? 'new_conversation' : 'new_message';
}

export interface AlertContext {
  /** The signed-in agent. */
  me: number;
  prefs: AlertPrefs;
  /** The conversation's assignee as the console knows it; undefined when it does not know the conversation yet (treated as unassigned). */
  assigneeId: number | null | undefined;
  /** The conversation on screen, when the tab is visible; undefined otherwise. */
  watching: string | undefined;
}

/** Whether the agent's preferences let an alert of this kind through for this conversation. */
export function prefsAllow(kind: AlertKind, prefs: AlertPrefs, assigneeId: number | null | undefined, me: number): boolean {
  if (!prefs.desktop_notifications) return false;
  if (kind === 'mention') return prefs.notify_on_mention;
  const mineOrNobodys = assigneeId === null || assigneeId === undefined || assigneeId === me;
  if (kind === 'new_conversation' && prefs.notify_on_new_conversation) return true;
  return prefs.notify_on_new_message && mineOrNobodys;
}

export interface Alert {
  kind: AlertKind;
  conversationId: string;
  title: string;
  body: string;
  /** Notification tag: the same as the push for this message (services/push), so the two replace each other. */
  tag: string;
  /** Console path to open on click. */
  url: string;
  sound: boolean;
}

const BODY_CHARS = 180;

function preview(body: string | null): string {
  const flat = (body ?? '').replace(/\s+/g, ' ').trim();
  if (!flat) return '(no text)';
  return flat.length > BODY_CHARS ? `${flat.slice(0, BODY_CHARS - 1)}…` : flat;
}

/** The alert a message raises for this agent, or null. */
export function decideAlert(m: AlertMessage, ctx: AlertContext): Alert | null {
  const kind = alertKindFor(m, ctx.me);
  if (!kind || !prefsAllow(kind, ctx.prefs, ctx.assigneeId, ctx.me)) return null;
  if (ctx.watching === m.conversation_id) return null;
  const who = m.customer?.name ?? m.customer?.email ?? 'A customer';
  const author = m.user?.display_name ?? m.user?.full_name ?? m.user?.email ?? 'A teammate';
  const title =
    kind === 'mention'
      ? `${author} mentioned you`
      : kind === 'new_conversation'
        ? `New conversation from ${who}`
        : `New message from ${who}`;
  return {
    kind,
    conversationId: m.conversation_id,
    title,
    body: preview(m.body),
    tag: `netia-message-${m.id}`,
    url: `/inbox/open/${m.conversation_id}`,
    sound: ctx.prefs.notification_sound,
  };
}

/** A title without the count this module put in front of it. */
export function stripCount(title: string): string {
  return title.replace(/^\(\d+\+?\) /, '');
}

/** The document title with the unread count in front: "(3) Open · Netia"; the bare title at 0. */
export function titleWithCount(count: number, title = 'Netia'): string {
  const base = stripCount(title);
  if (count <= 0) return base;
  return `(${count > 99 ? '99+' : count}) ${base}`;
}

/** Unread alerts by conversation: one per conversation however many messages, cleared when the agent opens it. */
export function addUnread(unread: readonly string[], conversationId: string): string[] {
  return unread.includes(conversationId) ? [...unread] : [...unread, conversationId];
}

export function clearUnread(unread: readonly string[], conversationId: string | undefined): string[] {
  return conversationId === undefined ? [...unread] : unread.filter((id) => id !== conversationId);
}

/** What the Notification API permission means for the agent, in words (Settings → Notifications). */
export type PermissionState = NotificationPermission | 'unsupported';

export function describePermission(state: PermissionState): string {
  switch (state) {
    case 'granted':
      return 'This browser may show Netia notifications.';
    case 'denied':
      return 'This browser blocks notifications from Netia. To allow them, open the site settings (the icon left of the address) and set Notifications to Allow, then reload.';
    case 'default':
      return 'This browser has not been asked yet. Netia shows a notification when a customer writes while you are looking elsewhere; your browser will ask you to allow it.';
    case 'unsupported':
      return 'This browser cannot show notifications (on iPhone and iPad, add Netia to the Home Screen first).';
  }
}
