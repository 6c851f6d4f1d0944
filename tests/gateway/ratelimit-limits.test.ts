/**
 * Rate limits: per client IP on the public routes (shared by every node
 * through Redis; 429 with the error envelope and `retry-after`), a stricter
 * bucket for registration and login, and per socket on inbound frames
 * (`{reason: "rate limited"}`), decided when a frame arrives.
 * Every request names its own client IP (`X-Forwarded-For`), so this file's
 * buckets never meet those of test files running alongside.
 */
import { randomUUID } from 'node:crypto';
import anyTest, { type TestFn } from 'ava';
import { createMemoryRateLimiter, createRedisRateLimiter, takeToken, TokenBucket } from '../../services/ratelimit/index.js';
import { clientFrom, connectSocket, join } from '../helpers/api.js';
import { testEnv } from '../helpers/env.js';
import { freshIpv4, rateLimitEnv } from '../helpers/rate-limits.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { createScene, pushError, refusal } from './realtime-fixtures.js';

const test = anyTest as TestFn<{ stack: Stack }>;

test.before(async (t) => {
  const stack = await startStack({
    env: rateLimitEnv({
      public: { perMinute: 60, burst: 3 },
      auth: { perMinute: 6, burst: 2 },
      socketShout: { perSecond: 0.1, burst: 2 },
      socketEvents: { perSecond: 0.1, burst: 4 },
    }),
  });
  t.context = { stack };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

/** An account with a customer and a conversation, set up from an address of its own. */
async function scene(stack: Stack) {
  // Registration (auth bucket, burst 2) and two public calls (burst 3) fit one fresh address.
  return createScene(clientFrom(stack.baseUrl, freshIpv4()));
}

test('public routes answer 429 with the error envelope and retry-after past the per-IP burst', async (t) => {
  const { stack } = t.context;
  const { agent } = await scene(stack);
  const ip = freshIpv4();
  const visitor = clientFrom(stack.baseUrl, ip);
  for (let i = 0; i < 3; i++) t.is((await visitor.post('/api/customers', { customer: { account_id: agent.accountId } })).status, 201);
  const limited = await visitor.raw('POST', '/api/customers', { customer: { account_id: agent.accountId } });
  t.is(limited.status, 429);
  t.deepEqual(await limited.json(), { error: { status: 429, message: 'Too many requests' } });
  t.is(limited.headers.get('retry-after'), '1', '60 per minute: the next token in a second');
  // One bucket for every public route of that address…
  t.is((await visitor.get(`/api/customers/identify?external_id=x&account_id=${agent.accountId}`)).status, 429);
  t.is((await visitor.get(`/api/widget_settings?account_id=${agent.accountId}`)).status, 429);
  // …and only that address.
  t.is((await clientFrom(stack.baseUrl, freshIpv4()).post('/api/customers', { customer: { account_id: agent.accountId } })).status, 201);
  // Routes outside the table are not limited.
  t.is((await visitor.get('/api/ping')).status, 200);
});

test('registration and login draw from their own, stricter bucket', async (t) => {
  const { stack } = t.context;
  const { agent } = await scene(stack);
  const attacker = clientFrom(stack.baseUrl, freshIpv4());
  const guess = () => attacker.post('/api/session', { user: { email: agent.email, password: `wrong ${randomUUID()}` } });
  t.is((await guess()).status, 401);
  t.is((await guess()).status, 401);
  const limited = await guess();
  t.is(limited.status, 429);
  t.is(limited.body.error.status, 429);
  t.truthy(limited.headers.get('retry-after'));
  t.is(
    (await attacker.post('/api/registration', { user: { email: 'x@example.com', password: 'correct horse battery', company_name: 'X' } }))
      .status,
    429,
  );
  // The public bucket of that address is untouched.
  t.is((await attacker.post('/api/customers', { customer: { account_id: agent.accountId } })).status, 201);
});

test('socket frames over the per-socket limits are refused at once with reason "rate limited"', async (t) => {
  const { stack } = t.context;
  const s = await scene(stack);
  const socket = connectSocket(stack.wsUrl);
  try {
    const chat = await join(socket, `conversation:${s.conversationId}`, { customer_id: s.customerId }); // events: 3 tokens left
    // Three shouts at once against a burst of two: the third is refused on arrival, while the first two are still in the workflow.
    const shouts = await Promise.allSettled([1, 2, 3].map((i) => chat.push('shout', { body: `m${i}`, customer_id: s.customerId })));
    t.deepEqual(
      shouts.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected'],
    );
    t.deepEqual((shouts[2] as PromiseRejectedResult).reason.response, { reason: 'rate limited' });
    const seqs = shouts.filter((r): r is PromiseFulfilledResult<any> => r.status === 'fulfilled').map((r) => r.value.seq);
    t.deepEqual(seqs, [1, 2], 'the refused shout stored nothing');

    // Other frames share the events bucket (burst 4, one spent on the join).
    const pings = await Promise.allSettled([1, 2, 3, 4].map((n) => chat.push('ping', { n })));
    t.deepEqual(
      pings.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
    );
    t.is(await refusal(join(socket, `conversation:lobby:${s.customerId}`, {})), 'rate limited', 'joins count too');
    t.deepEqual(await pushError(chat, 'typing', { typing: true }), { reason: 'rate limited' });

    // Another socket has its own buckets.
    const other = connectSocket(stack.wsUrl);
    try {
      const second = await join(other, `conversation:${s.conversationId}`, { customer_id: s.customerId });
      t.is((await second.push('shout', { body: 'from another tab', customer_id: s.customerId })).seq, 3);
    } finally {
      other.disconnect();
    }
  } finally {
    socket.disconnect();
  }
});

test('the Redis limiter is one bucket for every node; a refused take says when to retry', async (t) => {
  const nodeA = createRedisRateLimiter(testEnv().redisUrl);
  const nodeB = createRedisRateLimiter(testEnv().redisUrl);
  try {
    const subject = `test:${randomUUID()}`;
    const limit = { perSecond: 0.5, burst: 2 };
    t.true((await nodeA.consume(subject, limit)).allowed);
    t.true((await nodeB.consume(subject, limit)).allowed);
    const refused = await nodeA.consume(subject, limit);
    t.false(refused.allowed);
    t.true(refused.retryAfterMs > 1000 && refused.retryAfterMs <= 2000, `retry after ${refused.retryAfterMs} ms`);
    t.false((await nodeB.consume(subject, limit)).allowed);
    t.true((await nodeB.consume(`test:${randomUUID()}`, limit)).allowed, 'other subjects are independent');
  } finally {
    await nodeA.close();
    await nodeB.close();
  }
});

test('the in-memory limiter and the socket bucket refill at their rate', async (t) => {
  let now = 1_000_000;
  const clock = () => now;
  const limiter = createMemoryRateLimiter(clock);
  const limit = { perSecond: 2, burst: 2 };
  t.true((await limiter.consume('ip', limit)).allowed);
  t.true((await limiter.consume('ip', limit)).allowed);
  t.deepEqual(await limiter.consume('ip', limit), { allowed: false, retryAfterMs: 500 });
  now += 500;
  t.true((await limiter.consume('ip', limit)).allowed);
  t.false((await limiter.consume('ip', limit)).allowed);

  const bucket = new TokenBucket({ perSecond: 10, burst: 20 }, clock);
  for (let i = 0; i < 20; i++) t.true(bucket.take().allowed);
  t.deepEqual(bucket.take(), { allowed: false, retryAfterMs: 100 });
  now += 10_000;
  t.true(bucket.isFull(), 'refills up to the burst, never beyond');
});

test('the per-socket bucket held as one number behaves as the token bucket', (t) => {
  const limit = { perSecond: 3, burst: 4 };
  const start = 120_000; // a performance.now() after two minutes up
  let now = start;
  const bucket = new TokenBucket(limit, () => now);
  let fullAt = 0;
  const take = (cost = 1): boolean => {
    const next = takeToken(fullAt, limit, now, cost);
    if (next !== undefined) fullAt = next;
    t.is(next !== undefined, bucket.take(cost).allowed, `same decision at +${now - start} ms, cost ${cost}`);
    return next !== undefined;
  };
  const outcomes: boolean[] = [];
  for (let i = 0; i < 5; i++) outcomes.push(take());
  t.deepEqual(outcomes, [true, true, true, true, false], 'a full bucket gives its burst, then refuses');
  now += 333;
  t.false(take(), 'not yet a whole token after 333 ms at 3/s');
  now += 1;
  t.true(take(), 'a token after 1/3 s');
  t.false(take(2), 'a refused take changes nothing');
  now += 2000;
  t.true(take(4), 'refilled to the burst');
  t.false(take());
  now += 60_000;
  t.false(take(5), 'never more than the burst, however long it rested');
  for (let i = 0; i < 4; i++) t.true(take());
  t.false(take());
});
