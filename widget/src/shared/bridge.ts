/**
 * @module widget/shared/bridge
 * The only channel between the host page (loader) and the chat iframe:
 * `postMessage` envelopes tagged `netia`, version 1. Both sides check the
 * sender's origin and window before `readEnvelope` (see loader/index.ts and
 * chat/main.ts); this module only decides whether a value is one of ours.
 * Pure: no DOM access, so Node tests import it.
 */

export const BRIDGE_TAG = 'netia';
export const BRIDGE_VERSION = 1;

/** Visitor details a host page may pass with `Netia.identify` (docs/compatibility.md#customers). */
export interface Identity {
  email?: string;
  name?: string;
  phone?: string;
  external_id?: string;
  metadata?: Record<string, string | number | boolean | null>;
  /** HMAC-SHA256 of the external id (else the email) with the account's identity secret, computed by the host's server. */
  user_hash?: string;
}

/** A message as the host page sees it in `Netia.on('message', fn)`. */
export interface PublicMessage {
  id: string;
  seq: number;
  body: string;
  from: 'customer' | 'agent' | 'bot';
  author: string | null;
  conversation_id: string;
  created_at: string | null;
}

export type HostToChat =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'identify'; identity: Identity }
  /** The host page's address (customer host/pathname/current_url, as the original's widget reported). */
  | { type: 'context'; url: string }
  /** Answer to `ready` with `needsStorage`: what the loader keeps for this account in the host's localStorage. */
  | { type: 'storage'; items: Record<string, string> }
  /** Forget the visitor (logout): the iframe clears its storage, then answers `shutdown-done`. */
  | { type: 'shutdown' };

export type ChatToHost =
  /**
   * The chat page is running; `color` is the resolved primary colour (settings may supply it).
   * `needsStorage`: the browser denies this third-party frame its own storage (third-party
   * cookies blocked, e.g. incognito), so the loader keeps the visitor's record for it.
   */
  | { type: 'ready'; color: string; title: string; needsStorage: boolean }
  /** Write (or, with null, delete) one of this account's keys in the host's localStorage (see `ready`). */
  | { type: 'store'; key: string; value: string | null }
  | { type: 'message'; message: PublicMessage }
  | { type: 'unread'; count: number }
  /** The visitor pressed Esc or the close button inside the panel. */
  | { type: 'close-request' }
  | { type: 'shutdown-done' }
  /** The visitor's customer (and its token), when known or changed: the session-replay recorder identifies its session with it. */
  | { type: 'customer'; customerId: string; customerToken: string | null };

export type Envelope<T> = { netia: typeof BRIDGE_VERSION; msg: T };

export function wrap<T>(msg: T): Envelope<T> {
  return { netia: BRIDGE_VERSION, msg };
}

const HOST_TYPES = new Set(['open', 'close', 'identify', 'context', 'storage', 'shutdown']);
const CHAT_TYPES = new Set(['ready', 'message', 'unread', 'close-request', 'shutdown-done', 'store', 'customer']);

function unwrap(data: unknown, types: Set<string>): Record<string, unknown> | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const env = data as { netia?: unknown; msg?: unknown };
  if (env.netia !== BRIDGE_VERSION || typeof env.msg !== 'object' || env.msg === null) return undefined;
  const msg = env.msg as Record<string, unknown>;
  return typeof msg.type === 'string' && types.has(msg.type) ? msg : undefined;
}

/** A host → chat message, or undefined when `data` is not one (other scripts post messages too). */
export function readHostMessage(data: unknown): HostToChat | undefined {
  const msg = unwrap(data, HOST_TYPES);
  if (!msg) return undefined;
  if (msg.type === 'identify') {
    const identity = sanitizeIdentity(msg.identity);
    return identity ? { type: 'identify', identity } : undefined;
  }
  if (msg.type === 'storage') {
    const items: Record<string, string> = {};
    if (typeof msg.items === 'object' && msg.items !== null) {
      for (const [k, v] of Object.entries(msg.items as Record<string, unknown>)) if (typeof v === 'string') items[k] = v;
    }
    return { type: 'storage', items };
  }
  if (msg.type === 'context') {
    return typeof msg.url === 'string' && /^https?:\/\//.test(msg.url) ? { type: 'context', url: msg.url.slice(0, 2048) } : undefined;
  }
  return msg as HostToChat;
}

/** A chat → host message, or undefined. */
export function readChatMessage(data: unknown): ChatToHost | undefined {
  const msg = unwrap(data, CHAT_TYPES);
  if (msg?.type === 'store' && (typeof msg.key !== 'string' || (msg.value !== null && typeof msg.value !== 'string'))) return undefined;
  if (
    msg?.type === 'customer' &&
    (typeof msg.customerId !== 'string' ||
      msg.customerId.length > 64 ||
      (msg.customerToken !== null && typeof msg.customerToken !== 'string'))
  )
    return undefined;
  return msg as ChatToHost | undefined;
}

/** The prefix of every storage key of one account (chat/visitor.ts); the loader writes no other key. */
export function storagePrefix(accountId: string): string {
  return `netia:v1:${accountId}:`;
}

const LIMITS = { email: 320, name: 255, phone: 64, external_id: 255, user_hash: 128 } as const;

/**
 * Keep only known identity fields with sane types and lengths; numbers are
 * accepted for `external_id` (the original stringified them). Undefined when
 * nothing usable remains.
 */
export function sanitizeIdentity(value: unknown): Identity | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const input = value as Record<string, unknown>;
  const out: Identity = {};
  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    let v = input[key];
    if (key === 'external_id' && typeof v === 'number' && Number.isFinite(v)) v = String(v);
    if (typeof v !== 'string') continue;
    const s = v.trim();
    if (s === '' || s === 'null' || s === 'undefined' || s.length > LIMITS[key]) continue;
    out[key] = s;
  }
  const metadata = sanitizeMetadata(input.metadata);
  if (metadata) out.metadata = metadata;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A flat object of scalar values (at most 50 keys, strings up to 1000 chars), or undefined. */
export function sanitizeMetadata(value: unknown): Record<string, string | number | boolean | null> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string | number | boolean | null> = {};
  let n = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (n >= 50 || k.length > 100) break;
    if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[k] = v;
    else if (typeof v === 'string') out[k] = v.slice(0, 1000);
    else continue;
    n++;
  }
  return n > 0 ? out : undefined;
}
