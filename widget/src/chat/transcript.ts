/**
 * @module widget/chat/transcript
 * The visitor's view of one conversation: stored messages ordered by the
 * server's gap-free `seq`, followed by the visitor's own messages still in the
 * outbox, in the order they were written. One message can reach the page
 * several ways (the push reply, the `shout` echo, catch-up after a rejoin, the
 * history fetch, the local cache); they are merged by id, else by
 * `client_message_id`, so it is shown once. Pure: Node tests import it.
 */

import { isPrivateMessage } from '../../../gateway/protocol/index.js';
import type { FileJson, Message, User } from '../../../gateway/protocol/wire/index.js';

export type Sender = 'customer' | 'agent' | 'bot';

/** A file attached to a message (`file_url` is a path on the gateway origin): the fields of the wire file the chat shows. */
export type Attachment = Pick<FileJson, 'id' | 'filename' | 'content_type' | 'size' | 'file_url'>;

export interface ChatMessage {
  /** Server id; absent while the message waits in the outbox. */
  id: string | null;
  seq: number | null;
  clientMessageId: string | null;
  body: string;
  from: Sender;
  /** Agent's display name, when the server sent one. */
  author: string | null;
  sentAt: string | null;
  createdAt: string | null;
  conversationId: string | null;
  /** `pending`: in the outbox; `failed`: refused by the server for good. */
  status: 'sent' | 'pending' | 'failed';
  /** Why the server refused a `failed` message. */
  error?: string;
  /** Files sent with the message (absent or empty: none). */
  attachments?: Attachment[];
}

/**
 * The fields of the message JSON (`shout`, push replies, histories; gateway/protocol/wire `Message`) the chat
 * reads, each kept only when it has the wire type (`readServerMessage`). The page does not load the zod schemas:
 * they would add ~14 KB gzip to a ~24 KB page for the dozen fields read here, so the types come from the schemas
 * (`import type`) and this small reader checks them.
 */
export type ServerMessage = Partial<
  Pick<
    Message,
    | 'id'
    | 'seq'
    | 'client_message_id'
    | 'body'
    | 'type'
    | 'private'
    | 'user_id'
    | 'customer_id'
    | 'sent_at'
    | 'created_at'
    | 'conversation_id'
  >
> & {
  user?: Partial<Pick<User, 'full_name' | 'display_name'>> | null;
  attachments?: Attachment[];
};

/** A property of any value (undefined unless it is an object that has it). */
export function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const v: unknown = Reflect.get(value, key);
  return v;
}

const MESSAGE_TYPES: readonly NonNullable<ServerMessage['type']>[] = ['reply', 'note', 'bot', 'system'];
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const text = (v: unknown): string | null | undefined => (typeof v === 'string' || v === null ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** The well-formed attachments of a server message (anything else is dropped). */
export function attachmentsOf(value: unknown): Attachment[] {
  if (!Array.isArray(value)) return [];
  const items: unknown[] = value;
  const out: Attachment[] = [];
  for (const a of items) {
    const id = str(field(a, 'id'));
    const fileUrl = str(field(a, 'file_url'));
    if (!id || !fileUrl) continue;
    const size = field(a, 'size');
    out.push({
      id,
      filename: str(field(a, 'filename')) ?? 'file',
      content_type: str(field(a, 'content_type')) ?? 'application/octet-stream',
      size: typeof size === 'number' ? size : 0,
      file_url: fileUrl,
    });
  }
  return out;
}

/** The fields of a server message the chat reads that have their wire type; the others are left out. */
export function readServerMessage(value: unknown): ServerMessage {
  const user = field(value, 'user');
  const type = field(value, 'type');
  const isPrivate = field(value, 'private');
  const userId = field(value, 'user_id');
  const customerId = field(value, 'customer_id');
  const m: ServerMessage = {
    id: str(field(value, 'id')) ?? undefined,
    seq: int(field(value, 'seq')),
    client_message_id: text(field(value, 'client_message_id')),
    body: text(field(value, 'body')),
    type: MESSAGE_TYPES.find((t) => t === type),
    private: typeof isPrivate === 'boolean' ? isPrivate : undefined,
    user_id: userId === null ? null : int(userId),
    customer_id: text(customerId),
    sent_at: text(field(value, 'sent_at')),
    created_at: str(field(value, 'created_at')) ?? undefined,
    conversation_id: str(field(value, 'conversation_id')) ?? undefined,
    user:
      user === null
        ? null
        : typeof user === 'object'
          ? { full_name: text(field(user, 'full_name')), display_name: text(field(user, 'display_name')) }
          : undefined,
    attachments: attachmentsOf(field(value, 'attachments')),
  };
  return m;
}

/**
 * Who wrote a server message, from this visitor's side: anything with a
 * `user_id` is an agent, `type: "bot"` (or no author at all) is the bot, and
 * the customer's own messages are the visitor's. The original drew agent
 * replies on the visitor's side (Q13).
 */
export function senderOf(m: Pick<ServerMessage, 'user_id' | 'type' | 'customer_id'>): Sender {
  if (m.user_id !== null && m.user_id !== undefined) return 'agent';
  if (m.type === 'bot') return 'bot';
  if (typeof m.customer_id === 'string' && m.customer_id !== '') return 'customer';
  return 'bot';
}

/** A displayable message from server JSON; undefined for payloads to ignore (no body, private or a note, no id). */
export function fromServer(value: unknown): ChatMessage | undefined {
  const m = readServerMessage(value);
  const attachments = m.attachments ?? [];
  const body = typeof m.body === 'string' ? m.body : attachments.length > 0 ? '' : null;
  if (!m.id || body === null || (body === '' && attachments.length === 0) || isPrivateMessage(m)) return undefined;
  const author = m.user ? (str(m.user.display_name) ?? str(m.user.full_name)) : null;
  return {
    id: m.id,
    seq: m.seq ?? null,
    clientMessageId: str(m.client_message_id),
    body,
    from: senderOf(m),
    author,
    sentAt: str(m.sent_at),
    createdAt: m.created_at ?? null,
    conversationId: m.conversation_id ?? null,
    status: 'sent',
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  if (a.id !== null && b.id !== null) return a.id === b.id;
  return a.clientMessageId !== null && a.clientMessageId === b.clientMessageId;
}

/** Stored messages by seq (unknown seq last, by arrival), then pending/failed ones in write order. */
function order(list: ChatMessage[]): ChatMessage[] {
  const indexed = list.map((m, i) => ({ m, i }));
  indexed.sort((x, y) => {
    const a = x.m;
    const b = y.m;
    const aLocal = a.status !== 'sent' ? 1 : 0;
    const bLocal = b.status !== 'sent' ? 1 : 0;
    if (aLocal !== bLocal) return aLocal - bLocal;
    if (!aLocal && a.seq !== null && b.seq !== null && a.seq !== b.seq) return a.seq - b.seq;
    if (!aLocal && (a.seq === null) !== (b.seq === null)) return a.seq === null ? 1 : -1;
    return x.i - y.i;
  });
  return indexed.map((x) => x.m);
}

/**
 * Merge `incoming` into `list` and return a new ordered list plus the messages
 * that were not there before (for notifications and unread counts). A stored
 * copy replaces a pending one; a pending copy never replaces a stored one.
 */
export function mergeMessages(
  list: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): { list: ChatMessage[]; added: ChatMessage[] } {
  const next = list.slice();
  const added: ChatMessage[] = [];
  for (const m of incoming) {
    const i = next.findIndex((x) => sameMessage(x, m));
    if (i < 0) {
      next.push(m);
      added.push(m);
      continue;
    }
    const existing = next[i]!;
    if (existing.status === 'sent' && m.status !== 'sent') continue;
    // Keep the client's sent_at when the server echo lacks it; fill in a seq learnt later.
    next[i] = { ...existing, ...m, seq: m.seq ?? existing.seq, sentAt: m.sentAt ?? existing.sentAt, author: m.author ?? existing.author };
  }
  return { list: order(next), added };
}

/** Highest stored seq (0 when none): what a rejoin asks the server to continue after. */
export function lastSeq(list: readonly ChatMessage[]): number {
  let max = 0;
  for (const m of list) if (m.seq !== null && m.seq > max) max = m.seq;
  return max;
}

/** Agent and bot messages above `readSeq`: the launcher's badge. */
export function countUnread(list: readonly ChatMessage[], readSeq: number): number {
  return list.filter((m) => m.from !== 'customer' && m.status === 'sent' && m.seq !== null && m.seq > readSeq).length;
}

/** Highest seq of an agent or bot message (what `messages:seen` acknowledges). */
export function lastIncomingSeq(list: readonly ChatMessage[]): number {
  let max = 0;
  for (const m of list) if (m.from !== 'customer' && m.seq !== null && m.seq > max) max = m.seq;
  return max;
}

/** The newest `max` stored messages, for the local cache. */
export function cacheable(list: readonly ChatMessage[], max = 200): ChatMessage[] {
  return list.filter((m) => m.status === 'sent').slice(-max);
}
