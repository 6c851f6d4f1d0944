/**
 * List logic of the inbox, framework-free: which conversations belong to which
 * list, their order (last_activity_at desc, id desc — the server's keyset
 * order), merging pages and live updates without duplicates, merging messages
 * by id and seq, and the sidebar's unread badges.
 */
import { isPrivateMessage } from '../../../gateway/protocol/index.js';
import type { Conversation, ListSpec, Message, UnreadCounts, User } from '../types.js';

/** Query string parameters of a list for `GET /api/conversations` (docs/compatibility.md#conversations-and-messages). */
export function listQuery(spec: ListSpec): Record<string, string> {
  const q: Record<string, string> = {};
  switch (spec.kind) {
    case 'open':
      q.status = 'open';
      break;
    case 'mine':
      q.status = 'open';
      q.assignee_id = 'me';
      break;
    case 'unassigned':
      q.status = 'open';
      q.assignee_id = '';
      break;
    case 'priority':
      q.status = 'open';
      q.priority = 'priority';
      break;
    case 'snoozed':
      q.status = 'snoozed';
      break;
    case 'closed':
      q.status = 'closed';
      break;
    case 'mentions':
      q.mentioning = 'me';
      break;
    case 'inbox':
      q.status = 'open';
      if (spec.inboxId) q.inbox_id = spec.inboxId;
      break;
  }
  if (spec.q && spec.q.trim()) q.q = spec.q.trim();
  if (spec.tagId) q.tag_id = spec.tagId;
  return q;
}

/** A stable key for caching a list's state. */
export function listKey(spec: ListSpec): string {
  return `${spec.kind}:${spec.inboxId ?? ''}:${spec.q?.trim() ?? ''}${spec.tagId ? `:tag=${spec.tagId}` : ''}`;
}

/**
 * Whether a conversation belongs to a list, judged on the client. Undefined
 * when the client cannot know (text search looks at message bodies): such
 * lists are refreshed from the server instead of updated live.
 */
export function belongsTo(spec: ListSpec, c: Conversation, meId: number): boolean | undefined {
  if (spec.q && spec.q.trim()) return undefined;
  if (spec.tagId) {
    // Tags unknown (a `conversation:updated` of a conversation never read): the server decides.
    if (!c.tags) return undefined;
    if (!c.tags.some((t) => t.id === spec.tagId)) return false;
  }
  switch (spec.kind) {
    case 'open':
      return c.status === 'open';
    case 'mine':
      return c.status === 'open' && c.assignee_id === meId;
    case 'unassigned':
      return c.status === 'open' && c.assignee_id === null;
    case 'priority':
      return c.status === 'open' && c.priority === 'priority';
    case 'snoozed':
      return c.status === 'snoozed';
    case 'closed':
      return c.status === 'closed';
    case 'mentions':
      return undefined; // the server knows the mentions: refreshed when one arrives (components/mention-alerts.tsx)
    case 'inbox':
      return c.status === 'open' && c.inbox_id === spec.inboxId;
  }
}

/** Keyset order of the server: newest activity first, then id descending. Negative when `a` comes first. */
export function compareConversations(
  a: Pick<Conversation, 'id' | 'last_activity_at'>,
  b: Pick<Conversation, 'id' | 'last_activity_at'>,
): number {
  const ta = Date.parse(a.last_activity_at);
  const tb = Date.parse(b.last_activity_at);
  if (ta !== tb) return tb - ta;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Append a fetched page to the ids of a list, skipping ids already there (a live insert may have raced the page). */
export function appendPage(ids: readonly string[], page: readonly Pick<Conversation, 'id'>[]): string[] {
  const seen = new Set(ids);
  const out = [...ids];
  for (const c of page) {
    if (!seen.has(c.id)) {
      seen.add(c.id);
      out.push(c.id);
    }
  }
  return out;
}

export interface ListPlacement {
  ids: string[];
  /** +1 when the conversation entered the list, -1 when it left, 0 otherwise. */
  delta: -1 | 0 | 1;
}

/**
 * Place a created or updated conversation in a loaded list: remove it when it
 * no longer belongs, (re)insert it in keyset order when it does. While more
 * pages remain (`complete` false) a conversation that would sort below the last
 * loaded row is left for the page that will bring it.
 */
export function placeInList(
  ids: readonly string[],
  byId: Readonly<Record<string, Conversation | undefined>>,
  c: Conversation,
  belongs: boolean,
  complete: boolean,
): ListPlacement {
  const had = ids.includes(c.id);
  const without = had ? ids.filter((id) => id !== c.id) : [...ids];
  if (!belongs) return { ids: had ? without : [...ids], delta: had ? -1 : 0 };
  let index = without.findIndex((id) => {
    const other = byId[id];
    return other !== undefined && compareConversations(c, other) < 0;
  });
  if (index === -1) {
    if (!complete && !had) return { ids: [...ids], delta: 0 };
    index = without.length;
  }
  without.splice(index, 0, c.id);
  return { ids: without, delta: had ? 0 : 1 };
}

/**
 * Merge messages into a transcript: one entry per id, in seq order. An
 * optimistic message (pending, no seq yet) is replaced by the stored one with
 * the same client_message_id.
 */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  const byId = new Map<string, Message>();
  const clientIds = new Map<string, string>();
  for (const m of existing) {
    byId.set(m.id, m);
    if (m.client_message_id) clientIds.set(m.client_message_id, m.id);
  }
  for (const m of incoming) {
    const optimisticId = m.client_message_id ? clientIds.get(m.client_message_id) : undefined;
    if (optimisticId !== undefined && optimisticId !== m.id) byId.delete(optimisticId);
    byId.set(m.id, { ...byId.get(m.id), ...m, pending: m.pending ?? false, failed: m.failed ?? false });
    if (m.client_message_id) clientIds.set(m.client_message_id, m.id);
  }
  // Pending messages (no seq yet) sort after every stored one, in the order they were added.
  return [...byId.values()].sort((a, b) => (a.pending ? Infinity : a.seq) - (b.pending ? Infinity : b.seq));
}

/** The highest stored seq of a transcript (0 when empty); optimistic messages do not count. */
export function lastSeq(messages: readonly Message[]): number {
  let max = 0;
  for (const m of messages) if (!m.pending && m.seq > max) max = m.seq;
  return max;
}

/** Whether a new message leaves a gap after what we have (the client must fetch after `lastSeq`). */
export function hasGap(messages: readonly Message[], incoming: Pick<Message, 'seq'>): boolean {
  const last = lastSeq(messages);
  return last > 0 && incoming.seq > last + 1;
}

/** The badge of a sidebar entry, or 0. */
export function unreadBadge(counts: UnreadCounts | null | undefined, spec: ListSpec): number {
  if (!counts) return 0;
  const c = counts.conversations;
  switch (spec.kind) {
    case 'open':
      return c.open ?? 0;
    case 'mine':
      return c.assigned ?? 0;
    case 'unassigned':
      return c.unassigned ?? 0;
    case 'priority':
      return c.priority ?? 0;
    case 'snoozed':
      return c.snoozed ?? 0;
    case 'closed':
      return c.closed ?? 0;
    case 'mentions':
      return c.mentioned ?? 0;
    case 'inbox':
      return spec.inboxId ? (counts.inboxes[spec.inboxId] ?? 0) : 0;
  }
}

/** Display name of an agent. */
export function agentName(user: Pick<User, 'email' | 'display_name' | 'full_name'> | null | undefined): string {
  if (!user) return 'Agent';
  return user.display_name || user.full_name || user.email.split('@')[0] || user.email;
}

/** One or two letters for an avatar. */
export function initials(name: string | null | undefined): string {
  const words = (name ?? '')
    .replace(/@.*$/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]!][0] ?? '';
  const second = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  return (first + second).toUpperCase();
}

/** A stable hue (0–359) for an avatar background, from any id. */
export function avatarHue(seed: string | number): number {
  let h = 0;
  for (const ch of String(seed)) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

/** Who wrote a message, as shown above its bubble. */
export function authorOf(m: Message, customerTitle: string): { name: string; kind: 'customer' | 'agent' | 'bot' } {
  if (m.customer_id) return { name: m.customer?.title ?? m.customer?.name ?? m.customer?.email ?? customerTitle, kind: 'customer' };
  if (m.user_id !== null && m.type !== 'bot') return { name: agentName(m.user ?? null), kind: 'agent' };
  return { name: 'AI assistant', kind: 'bot' };
}

/** Delivery state of an agent or bot message for the customer. */
export function deliveryState(m: Message, seenUpToSeq: number | undefined): 'sending' | 'failed' | 'sent' | 'seen' | null {
  if (m.customer_id || isPrivateMessage(m)) return null;
  if (m.failed) return 'failed';
  if (m.pending) return 'sending';
  if (m.seen_at || (seenUpToSeq !== undefined && m.seq <= seenUpToSeq)) return 'seen';
  return 'sent';
}
