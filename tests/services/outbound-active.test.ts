/**
 * The dispatcher's gate: events of accounts without any outbound channel are
 * not planned at all (one query per batch instead of one per destination and
 * message); accounts with one are planned as before.
 */
import anyTest from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createLogger } from '../../services/log.js';
import { accountsWithOutbound } from '../../services/outbound/active.js';
import { createDispatcher } from '../../services/outbound/dispatch.js';
import type { DeliveryJob, Destination, OutboundEvent } from '../../services/outbound/types.js';
import { withDatabasePool } from '../helpers/db-test.js';
import { sampleCustomer } from '../helpers/wire-samples.js';

const test = withDatabasePool(anyTest);

const Z = z.object({ id: z.string() });
const account = (pool: DatabasePool, name: string) =>
  pool.oneFirst(sql.type(Z)`INSERT INTO accounts (company_name) VALUES (${name}) RETURNING id::text AS id`);

test('only accounts with a verified webhook (or an integration) count as having outbound channels', async (t) => {
  const { pool } = t.context;
  const [hooked, unverified, quiet] = [await account(pool, 'hooked'), await account(pool, 'unverified'), await account(pool, 'quiet')];
  await pool.query(
    sql.unsafe`INSERT INTO event_subscriptions (account_id, webhook_url, verified) VALUES (${hooked}, 'https://a.example/h', true)`,
  );
  await pool.query(
    sql.unsafe`INSERT INTO event_subscriptions (account_id, webhook_url, verified) VALUES (${unverified}, 'https://b.example/h', false)`,
  );
  t.deepEqual([...(await accountsWithOutbound(pool, [hooked, unverified, quiet]))], [hooked]);
  t.deepEqual([...(await accountsWithOutbound(pool, []))], []);
});

test('the dispatcher plans only the events of active accounts, and nothing when none is', async (t) => {
  const { pool } = t.context;
  const planned: OutboundEvent[][] = [];
  const started: DeliveryJob[] = [];
  const spy: Destination = {
    kind: 'spy',
    async plan(_pool, events) {
      planned.push([...events]);
      return events.map((e) => ({ id: `spy-${e.accountId}`, kind: 'spy', accountId: e.accountId, payload: {} }));
    },
    async deliver() {},
  };
  const event = (accountId: string): OutboundEvent => ({
    type: 'customer:created',
    accountId,
    customer: sampleCustomer({ id: `c-${accountId}`, account_id: accountId }),
  });
  const dispatch = createDispatcher({
    pool,
    log: createLogger({ level: 'error' }),
    destinations: [spy],
    activeAccounts: async (_pool, ids) => new Set(ids.filter((id) => id === 'on')),
    startDelivery: async (job) => {
      started.push(job);
      return 'started';
    },
  });
  t.deepEqual(await dispatch([event('off'), event('off')]), { planned: 0, started: 0, duplicates: 0 });
  t.is(planned.length, 0, 'no destination was asked');
  const summary = await dispatch([event('off'), event('on')]);
  t.is(summary.started, 1);
  t.deepEqual(planned, [[event('on')]]);
  t.deepEqual(
    started.map((j) => j.id),
    ['spy-on'],
  );
});
