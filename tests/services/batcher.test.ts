/**
 * services/batcher: concurrent loads share a batch, equal keys are looked up
 * once per batch, keys gather while the in-flight limit is reached, a key is
 * never answered from a batch that started before it was asked (no stale
 * answers), and failures reach every waiter of their batch only.
 */
import test from 'ava';
import { Batcher } from '../../services/batcher.js';

/** A controllable `run`: records each batch and lets the test finish it. */
function controlled() {
  const calls: { keys: string[]; finish(values?: Map<string, string>): void; fail(err: Error): void }[] = [];
  const batcher = (opts: { maxBatchSize?: number; maxConcurrent?: number } = {}) =>
    new Batcher<string, string>({
      run: (keys) =>
        new Promise((resolve, reject) => {
          calls.push({
            keys: [...keys],
            finish: (values) => resolve(values ?? new Map(keys.map((k) => [k, `v:${k}`]))),
            fail: reject,
          });
        }),
      keyOf: (k) => k,
      ...opts,
    });
  /** Resolves once `run` was called `n` times (the batcher starts batches on setImmediate). */
  const started = async (n: number): Promise<void> => {
    while (calls.length < n) await new Promise((r) => setImmediate(r));
  };
  return { calls, batcher, started };
}

test('loads made together share one batch; equal keys are looked up once and answered to each caller', async (t) => {
  const { calls, batcher, started } = controlled();
  const b = batcher();
  const loads = ['a', 'b', 'a', 'c', 'b'].map((k) => b.load(k));
  await started(1);
  t.deepEqual(calls[0]!.keys, ['a', 'b', 'c']);
  calls[0]!.finish();
  t.deepEqual(await Promise.all(loads), ['v:a', 'v:b', 'v:a', 'v:c', 'v:b']);
  t.deepEqual(b.stats, { batches: 1, keys: 3, loads: 5 });
});

test('a key the batch did not find resolves to undefined', async (t) => {
  const { calls, batcher, started } = controlled();
  const b = batcher();
  const [found, missing] = [b.load('x'), b.load('gone')];
  await started(1);
  calls[0]!.finish(new Map([['x', 'X']]));
  t.is(await found, 'X');
  t.is(await missing, undefined);
});

test('while maxConcurrent batches are in flight, new keys gather in ONE pending batch that starts when a slot frees', async (t) => {
  const { calls, batcher, started } = controlled();
  const b = batcher({ maxConcurrent: 1 });
  const first = b.load('k1');
  await started(1);
  // Asked over several loop turns while the first batch is in flight.
  const later: Promise<string | undefined>[] = [];
  for (let i = 2; i <= 6; i++) {
    later.push(b.load(`k${i}`));
    await new Promise((r) => setImmediate(r));
  }
  t.is(calls.length, 1, 'nothing else starts while the only slot is taken');
  calls[0]!.finish();
  t.is(await first, 'v:k1');
  await started(2);
  t.deepEqual(calls[1]!.keys, ['k2', 'k3', 'k4', 'k5', 'k6'], 'everything asked meanwhile went in one batch');
  calls[1]!.finish();
  t.deepEqual(await Promise.all(later), ['v:k2', 'v:k3', 'v:k4', 'v:k5', 'v:k6']);
});

test('a key asked while a batch holding it is in flight is read again by the next batch (never a stale answer)', async (t) => {
  const { calls, batcher, started } = controlled();
  const b = batcher({ maxConcurrent: 2 });
  const early = b.load('account');
  await started(1);
  const late = b.load('account');
  await started(2);
  t.deepEqual(calls[1]!.keys, ['account'], 'the late load started its own read');
  calls[1]!.finish(new Map([['account', 'new policy']]));
  calls[0]!.finish(new Map([['account', 'old policy']]));
  t.is(await early, 'old policy');
  t.is(await late, 'new policy');
});

test('maxBatchSize splits a burst; full batches start first, up to maxConcurrent at once', async (t) => {
  const { calls, batcher, started } = controlled();
  const b = batcher({ maxBatchSize: 3, maxConcurrent: 2 });
  const loads = Array.from({ length: 8 }, (_, i) => b.load(`k${i}`));
  await started(2);
  await new Promise((r) => setImmediate(r));
  t.is(calls.length, 2);
  t.deepEqual(
    calls.map((c) => c.keys),
    [
      ['k0', 'k1', 'k2'],
      ['k3', 'k4', 'k5'],
    ],
  );
  calls[0]!.finish();
  await started(3);
  t.deepEqual(calls[2]!.keys, ['k6', 'k7']);
  calls[1]!.finish();
  calls[2]!.finish();
  t.deepEqual(
    await Promise.all(loads),
    Array.from({ length: 8 }, (_, i) => `v:k${i}`),
  );
});

test('a failed batch rejects each of its waiters, and only them; a run that throws synchronously too', async (t) => {
  const { calls, batcher, started } = controlled();
  const b = batcher({ maxConcurrent: 1 });
  const doomed = [b.load('a'), b.load('a'), b.load('b')];
  await started(1);
  const next = b.load('c');
  calls[0]!.fail(new Error('db down'));
  for (const p of doomed) await t.throwsAsync(p, { message: 'db down' });
  await started(2);
  calls[1]!.finish();
  t.is(await next, 'v:c');

  const throwing = new Batcher<string, string>({
    run: () => {
      throw new Error('bad input');
    },
    keyOf: (k) => k,
  });
  await t.throwsAsync(throwing.load('x'), { message: 'bad input' });
});
