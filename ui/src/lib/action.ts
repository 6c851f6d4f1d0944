/**
 * `useAction(after?)`: `[run, error, busy, setError]`. `run(fn)` runs one
 * action of a part of a screen (resolves whether it succeeded), keeping its
 * error for display and `busy` while it runs; `after` follows a success.
 * Shared by the tag picker and the customers, companies and issues screens.
 */
import { createSignal } from 'solid-js';
import { describeError } from './api';

export function useAction(
  after?: () => void,
): [(fn: () => Promise<unknown>) => Promise<boolean>, () => string | null, () => boolean, (error: string | null) => void] {
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      after?.();
      return true;
    } catch (err) {
      setError(describeError(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return [run, error, busy, setError];
}
