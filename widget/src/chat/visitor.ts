/**
 * @module widget/chat/visitor
 * What the chat page remembers about its visitor, per account, in the
 * localStorage of the gateway's origin (so no host page can read it): the
 * customer id and token, the current conversation, how far the visitor has
 * read, and a bounded copy of the transcript for an instant redraw on reload.
 * The original kept the customer id in memory only, so every page load was a
 * new customer (Q13). Pure: storage is injected.
 */
import { storagePrefix } from '../shared/bridge.js';
import type { KeyValueStore } from './outbox.js';
import type { ChatMessage } from './transcript.js';

export interface VisitorRecord {
  customerId: string | null;
  /** Issued by `POST /api/customers` when the server supports it; sent on every join. */
  customerToken: string | null;
  conversationId: string | null;
  /** Highest agent/bot seq the visitor has had on screen (unread badge). */
  readSeq: number;
  /** Highest agent/bot seq already announced to the host page (`Netia.on('message')`), so a reload does not repeat it. */
  notifiedSeq: number;
  /** Email given up front or through identify (requireEmailUpfront). */
  email: string | null;
  /** external_id (else email) last passed to identify: a different one means another person. */
  identityKey: string | null;
  /** Newest stored messages of `conversationId`. */
  messages: ChatMessage[];
}

export const EMPTY_VISITOR: Readonly<VisitorRecord> = Object.freeze({
  customerId: null,
  customerToken: null,
  conversationId: null,
  readSeq: 0,
  notifiedSeq: 0,
  email: null,
  identityKey: null,
  messages: [],
});

/** Storage keys of one account (versioned, so a later format can migrate). */
export function storageKeys(accountId: string): { visitor: string; outbox: string } {
  const prefix = storagePrefix(accountId);
  return { visitor: `${prefix}visitor`, outbox: `${prefix}outbox` };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function loadVisitor(store: KeyValueStore, accountId: string): VisitorRecord {
  try {
    const raw = store.getItem(storageKeys(accountId).visitor);
    if (!raw) return { ...EMPTY_VISITOR, messages: [] };
    const v = JSON.parse(raw) as Record<string, unknown>;
    return {
      customerId: strOrNull(v.customerId),
      customerToken: strOrNull(v.customerToken),
      conversationId: strOrNull(v.conversationId),
      readSeq: num(v.readSeq),
      notifiedSeq: num(v.notifiedSeq),
      email: strOrNull(v.email),
      identityKey: strOrNull(v.identityKey),
      messages: Array.isArray(v.messages)
        ? (v.messages as ChatMessage[]).filter(
            (m) => typeof m === 'object' && m !== null && typeof m.body === 'string' && typeof m.id === 'string',
          )
        : [],
    };
  } catch {
    return { ...EMPTY_VISITOR, messages: [] };
  }
}

export function saveVisitor(store: KeyValueStore, accountId: string, visitor: VisitorRecord): void {
  try {
    store.setItem(storageKeys(accountId).visitor, JSON.stringify(visitor));
  } catch {
    // Quota or blocked storage: keep going in memory.
  }
}

/** Forget everything about the visitor of this account (Netia.shutdown, or the server forgot the customer). */
export function clearVisitor(store: KeyValueStore, accountId: string): void {
  const keys = storageKeys(accountId);
  try {
    store.removeItem(keys.visitor);
    store.removeItem(keys.outbox);
  } catch {
    /* nothing stored */
  }
}
