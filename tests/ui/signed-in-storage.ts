/**
 * The console's session store as it is after a sign-in (agent 1 of account `acc-1`), in memory:
 * for the contract tests that drive the console's API clients over a recording `fetch`.
 */
import { SESSION_KEY, type KeyValueStore } from '../../ui/src/lib/session.js';

export function signedInStorage(): KeyValueStore {
  const store = new Map<string, string>();
  const storage: KeyValueStore = {
    getItem: (k) => store.get(k) ?? null,
    setItem: (k, v) => void store.set(k, v),
    removeItem: (k) => void store.delete(k),
  };
  storage.setItem(
    SESSION_KEY,
    JSON.stringify({ token: 't', renew_token: 'r', user_id: 1, account_id: 'acc-1', email: 'a@b.co', issued_at: Date.now() }),
  );
  return storage;
}
