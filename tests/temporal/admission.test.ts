/**
 * Adaptive admission (temporal/deadline.ts `createAdmission`, through `createDeadline`): the
 * operations in flight are bounded in TIME, the measured completion rate × the queue a new one
 * may wait behind, between a floor and the fixed ceiling. One more is refused at once
 * (UNAVAILABLE, Retry-After 1) without running anything. A fake clock drives the rate: no
 * sleeps, nothing depends on the wall clock. The Temporal client is a stand-in whose
 * `withDeadline` just runs the operation (these tests are about admission, not gRPC).
 */
import test from 'ava';
import type { Client } from '@temporalio/client';
import { AppError } from '../../services/errors.js';
import { BUSY_RETRY_AFTER_S, createAdmission, createDeadline, type DeadlineOptions, type WithinDeadline } from '../../temporal/deadline.js';

const client = { withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn() } as unknown as Client;

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

/** What `withDeadline`'s SDK answers when Temporal cannot be reached (gRPC UNAVAILABLE). */
function unreachable(): Error {
  return Object.assign(new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233'), {
    code: 14,
    details: 'connect ECONNREFUSED 127.0.0.1:7233',
    metadata: {},
  });
}

/** `seconds` of traffic at `perSecond` operations a second, each answered before the next starts. */
async function serve(within: WithinDeadline, clock: ReturnType<typeof fakeClock>, perSecond: number, seconds: number, fail?: () => Error) {
  const step = 1000 / perSecond;
  for (let i = 0; i < perSecond * seconds; i += 1) {
    clock.advance(step);
    await within(async () => {
      if (fail) throw fail();
      return 'ok';
    }).catch(() => undefined);
  }
}

/**
 * Start operations that never finish until one is refused; returns how many were admitted, the
 * refusal, and whether the refused one ran (it must not).
 */
async function fillUp(within: WithinDeadline, upTo = 10_000): Promise<{ admitted: number; refusal: unknown; ranRefused: boolean }> {
  const never = new Promise<never>(() => undefined);
  for (let admitted = 0; admitted < upTo; admitted += 1) {
    let ran = false;
    const p = within(() => {
      ran = true;
      return never;
    });
    // A refusal is decided before anything runs: when `fn` has not run synchronously, it was refused.
    if (!ran) {
      const refusal = await p.then(
        () => undefined,
        (err: unknown) => err,
      );
      return { admitted, refusal, ranRefused: ran };
    }
  }
  return { admitted: upTo, refusal: undefined, ranRefused: false };
}

function adaptive(clock: ReturnType<typeof fakeClock>, over: Partial<DeadlineOptions> = {}): WithinDeadline {
  return createDeadline(client, { maxInFlight: 1000, maxQueueMs: 2000, minInFlight: 5, now: clock.now, ...over });
}

test('at R completions a second, about R × maxQueue are admitted and the next is refused at once, before it runs', async (t) => {
  for (const perSecond of [20, 40, 80]) {
    const clock = fakeClock();
    const within = adaptive(clock);
    await serve(within, clock, perSecond, 6);
    const { admitted, refusal, ranRefused } = await fillUp(within);
    const expected = perSecond * 2;
    t.true(Math.abs(admitted - expected) <= expected * 0.05, `${perSecond}/s: admitted ${admitted}, expected about ${expected}`);
    t.false(ranRefused);
    t.true(refusal instanceof AppError, String(refusal));
    const err = refusal as AppError;
    t.is(err.code, 'UNAVAILABLE');
    t.is(err.retryAfterSeconds, BUSY_RETRY_AFTER_S);
    t.regex(err.userMessage, /busy/i);
    t.notRegex(err.userMessage, /temporal|flight|limit/i, 'nothing internal in what the client sees');
    t.regex(err.message, new RegExp(`limit ${admitted}\\b`), 'the log names the limit');
  }
});

test('idle or cold, the limit is the floor; it falls back to the floor once traffic stops', async (t) => {
  const clock = fakeClock();
  const admission = createAdmission({ maxInFlight: 1000, maxQueueMs: 2000, minInFlight: 7, now: clock.now });
  t.is(admission.limit(), 7, 'cold: nothing measured yet');

  const within = adaptive(clock, { minInFlight: 7 });
  await serve(within, clock, 50, 6);
  clock.advance(10_000);
  t.is((await fillUp(within)).admitted, 7, 'ten idle seconds later');
});

test('the limit never exceeds the fixed ceiling, however fast completions come', async (t) => {
  const clock = fakeClock();
  const within = adaptive(clock, { maxInFlight: 60 });
  await serve(within, clock, 1000, 6);
  const { admitted, refusal } = await fillUp(within);
  t.is(admitted, 60);
  t.regex((refusal as AppError).message, /cap 60/);
});

test('failures because Temporal was unreachable do not count as throughput', async (t) => {
  const clock = fakeClock();
  const within = adaptive(clock);
  await serve(within, clock, 200, 6, unreachable);
  t.is((await fillUp(within)).admitted, 5, 'still the floor after 1200 unreachable failures');

  // Refusals for load and "temporarily unavailable" from inside do not either; an answered error does.
  const clock2 = fakeClock();
  const within2 = adaptive(clock2);
  await serve(within2, clock2, 200, 6, () => new AppError('UNAVAILABLE'));
  t.is((await fillUp(within2)).admitted, 5);
  const clock3 = fakeClock();
  const within3 = adaptive(clock3);
  await serve(within3, clock3, 20, 6, () => new AppError('NOT_FOUND'));
  t.is((await fillUp(within3)).admitted, 40, 'an answer (even a refusal of the command) is served work');
});

test('a place is given back when the operation ends, however it ends', async (t) => {
  const clock = fakeClock();
  const within = adaptive(clock, { maxQueueMs: undefined, maxInFlight: 2 });
  let release!: () => void;
  const held = within(() => new Promise<void>((resolve) => (release = resolve)));
  const failing = within(() => Promise.reject(unreachable()));
  await t.throwsAsync(failing, { instanceOf: AppError });
  const second = within(() => new Promise<never>(() => undefined));
  void second;
  await t.throwsAsync(
    within(async () => 'third'),
    { instanceOf: AppError, message: /limit 2/ },
  );
  release();
  await held;
  t.is(await within(async () => 'after'), 'after');
});

test('a request that waited past the queue budget for its turn is refused at once, without running', async (t) => {
  const clock = fakeClock();
  const within = adaptive(clock);
  let ran = false;
  const err = await t.throwsAsync(
    within(
      async () => {
        ran = true;
      },
      { arrivedAt: clock.now() - 2001 },
    ),
    { instanceOf: AppError },
  );
  t.false(ran, 'nothing was sent to Temporal');
  t.is(err?.code, 'UNAVAILABLE');
  t.is(err?.retryAfterSeconds, BUSY_RETRY_AFTER_S);
  t.regex(err?.message ?? '', /waited 2001 ms for its turn/);
  t.notRegex(err?.userMessage ?? '', /temporal|ms/i);
  // Within the queue budget it runs.
  t.is(await within(async () => 'ran', { arrivedAt: clock.now() - 1999 }), 'ran');
});

test('the budget of a request counts from its arrival, not from when its turn came', async (t) => {
  const clock = fakeClock();
  const deadlines: number[] = [];
  const recording = {
    withDeadline: <R>(deadline: number, fn: () => Promise<R>) => {
      deadlines.push(deadline);
      return fn();
    },
  } as unknown as Client;
  const within = createDeadline(recording, { timeoutMs: 1500, maxQueueMs: 2000, now: clock.now });
  await within(async (deadline) => t.is(deadline, clock.now() + 1000), { arrivedAt: clock.now() - 500 });
  await within(async (deadline) => t.is(deadline, clock.now() + 1500));
  t.deepEqual(deadlines, [clock.now() + 1000, clock.now() + 1500]);
});
