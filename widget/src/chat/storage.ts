/**
 * @module widget/chat/storage
 * Where the chat page keeps the visitor's record. First choice: its own
 * localStorage (the gateway's origin, invisible to the host page). Browsers
 * that deny third-party frames any storage (third-party cookies blocked, as in
 * Chrome's incognito mode) get a store backed by the host page's
 * localStorage through the loader, so a reload still finds the visitor;
 * only when that fails too does the record live in memory for one page.
 */
import type { KeyValueStore } from './outbox.js';

export type StorageKind = 'local' | 'host' | 'memory';

/** The frame's own localStorage, or null when the browser refuses it. */
export function probeLocalStorage(): Storage | null {
  try {
    const storage = window.localStorage;
    const probe = 'netia:probe';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

/**
 * A synchronous store seeded with the host's snapshot; every write is
 * forwarded to the loader (`store` message), which writes only this
 * account's keys. Nothing is read back: this page is the only writer.
 */
export class HostBackedStore implements KeyValueStore {
  readonly #items: Map<string, string>;
  readonly #write: (key: string, value: string | null) => void;

  constructor(snapshot: Record<string, string>, write: (key: string, value: string | null) => void) {
    this.#items = new Map(Object.entries(snapshot));
    this.#write = write;
  }

  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.#items.set(key, value);
    this.#write(key, value);
  }

  removeItem(key: string): void {
    this.#items.delete(key);
    this.#write(key, null);
  }
}
