/**
 * Attack surface: expired credentials piling up forever. The original never
 * deleted expired session, renew and password-reset tokens, invitations or
 * share links, so a database leak (backup, replica, dump) hands out the hashes
 * of every credential ever issued, and the tables grow without bound. A Temporal
 * Schedule (`netia-housekeeping`, created idempotently at worker start) now runs
 * a workflow that purges them in batches; live ones are kept.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import { z } from 'zod';
import { ensureHousekeepingSchedule } from '../../../temporal/housekeeping-schedule.js';
import { api, registerAccount } from '../../helpers/api.js';
import { withTimeout } from '../../helpers/phoenix-client.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

const ZCount = z.object({ n: z.number() });

test('the housekeeping schedule purges expired tokens, invitations and share links in batches, keeps live ones, and exists once', async (t) => {
  const { stack } = t.context;
  const http = api(stack.baseUrl);
  const agent = await registerAccount(http, 'Housekeeping');
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Eve' } });
  const conv = await http.post(
    '/api/conversations',
    { conversation: { customer_id: customer.body.data.id }, message: { body: 'hi' } },
    agent.token,
  );
  t.is(conv.status, 201, JSON.stringify(conv.body));

  const tag = `hk-${randomBytes(4).toString('hex')}`;
  const expired = sql.fragment`now() - interval '1 minute'`;
  const live = sql.fragment`now() + interval '1 day'`;
  // 5 expired auth tokens of every kind (batch size 2 below: three batches), 2 live ones.
  for (const [kind, when] of [
    ['access', expired],
    ['renew', expired],
    ['password_reset', expired],
    ['access', expired],
    ['password_reset', expired],
    ['access', live],
    ['password_reset', live],
  ] as const) {
    await stack.pool.query(sql.unsafe`
      INSERT INTO auth_tokens (token_hash, kind, user_id, expires_at)
      VALUES (${sql.binary(randomBytes(32))}, ${kind}, ${agent.userId}, ${when})`);
  }
  for (const [when, accepted] of [
    [expired, false],
    [expired, false],
    [expired, false],
    [live, false],
    [expired, true],
  ] as const) {
    await stack.pool.query(sql.unsafe`
      INSERT INTO user_invitations (account_id, token_hash, email, expires_at, accepted_at)
      VALUES (${agent.accountId}, ${sql.binary(randomBytes(32))}, ${`${tag}@example.com`}, ${when}, ${accepted ? sql.fragment`now()` : null})`);
  }
  for (const when of [expired, expired, live]) {
    await stack.pool.query(sql.unsafe`
      INSERT INTO conversation_share_links (token_hash, account_id, conversation_id, expires_at)
      VALUES (${sql.binary(randomBytes(32))}, ${agent.accountId}, ${conv.body.data.id}, ${when})`);
  }
  const count = async (table: 'auth_tokens' | 'user_invitations' | 'conversation_share_links', where: 'expired' | 'live') => {
    const cond = where === 'expired' ? sql.fragment`expires_at <= now()` : sql.fragment`expires_at > now()`;
    // Share links are counted in this test's account: modules beside it on the shared stack make their own.
    const extra =
      table === 'user_invitations'
        ? sql.fragment`AND email = ${`${tag}@example.com`} AND accepted_at IS NULL`
        : table === 'conversation_share_links'
          ? sql.fragment`AND account_id = ${agent.accountId}`
          : sql.fragment``;
    return stack.pool.oneFirst(sql.type(ZCount)`SELECT count(*)::int AS n FROM ${sql.identifier([table])} WHERE ${cond} ${extra}`);
  };
  t.true((await count('auth_tokens', 'expired')) >= 5);

  // Starting twice (two workers, or a restart) keeps one schedule; the second start updates it.
  const scheduleId = `netia-housekeeping-test-${randomUUID()}`;
  const opts = { taskQueue: stack.taskQueue, intervalSeconds: 3600, batchSize: 2, scheduleId };
  try {
    t.is(await ensureHousekeepingSchedule(stack.client, opts), scheduleId);
    t.is(await ensureHousekeepingSchedule(stack.client, { ...opts, intervalSeconds: 7200 }), scheduleId, 'a second start does not fail');
    const handle = stack.client.schedule.getHandle(scheduleId);
    const described = await handle.describe();
    t.is(described.spec.intervals?.[0]?.every, 7_200_000, 'the second start updated the one schedule');

    await handle.trigger();
    // The run the trigger started: poll the schedule's actions (bounded), then wait for the workflow's result.
    const firstRun = await withTimeout(
      (async () => {
        for (;;) {
          const d = await handle.describe();
          const action = d.info.recentActions[0]?.action ?? d.info.runningActions[0];
          if (action) return action.workflow;
          await new Promise((r) => setTimeout(r, 100));
        }
      })(),
      30_000,
      'the triggered housekeeping run to start',
    );
    const result = await withTimeout(
      stack.client.workflow.getHandle(firstRun.workflowId, firstRun.firstExecutionRunId).result(),
      60_000,
      'the housekeeping run to complete',
    );
    t.true(result.complete);
    t.true(result.authTokens >= 5, JSON.stringify(result));
    t.true(result.invitations >= 3, JSON.stringify(result));
    t.true(result.shareLinks >= 2, JSON.stringify(result));

    t.is(await count('auth_tokens', 'expired'), 0, 'expired auth tokens purged');
    t.is(await count('user_invitations', 'expired'), 0, 'expired invitations purged');
    t.is(await count('conversation_share_links', 'expired'), 0, 'expired share links purged');
    t.true((await count('auth_tokens', 'live')) >= 2 + 2, 'live tokens kept (ours and the agent session)');
    t.is(await count('user_invitations', 'live'), 1, 'live invitation kept');
    t.is(await count('conversation_share_links', 'live'), 1, 'live share link kept');
    t.is(
      await stack.pool.oneFirst(
        sql.type(ZCount)`SELECT count(*)::int AS n FROM user_invitations WHERE email = ${`${tag}@example.com`} AND accepted_at IS NOT NULL`,
      ),
      1,
      'accepted invitations stay as history',
    );
    t.is((await http.get('/api/me', agent.token)).status, 200, 'the live session still works');
  } finally {
    await stack.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
  }
});
