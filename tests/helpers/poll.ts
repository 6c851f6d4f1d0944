/**
 * Waiting on a condition that has no event to wait on (a row written by a worker, a fake's
 * record): poll `probe` until it returns a value, within a deadline. Each probe is one cheap
 * query; the interval only bounds the load, it never stands in for synchronisation.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
