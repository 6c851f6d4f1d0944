/**
 * PostgreSQL unreachable (restarting, down): a request is answered 503 with `Retry-After`, and a
 * socket event gets an error reply with a reason and `retry_after`, instead of a 500 with nothing
 * to act on (services/db/unavailable.ts, gateway/http/errors.ts). Only this gateway node's pool
 * goes through a proxy that the test cuts; the shared PostgreSQL is untouched. Once the database
 * is back, the same requests succeed with no restart of the node.
 */
import anyTest, { type TestFn } from 'ava';
import { ConnectionError } from 'slonik';
import { buildGateway } from '../../bin/gateway.js';
import { toChannelError } from '../../gateway/http/errors.js';
import type { Gateway } from '../../gateway/app.js';
import { createBus, type Bus } from '../../services/bus/index.js';
import { createDbPool, type DatabasePool } from '../../services/db/pool.js';
import { silentLogger } from '../../services/log.js';
import { api, registerAccount, withTimeout, type Api } from '../helpers/api.js';
import { testEnv } from '../helpers/env.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTcpProxy, targetOf, throughProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

interface Context {
  stack: Stack;
  proxy: TcpProxy;
  pool: DatabasePool;
  bus: Bus;
  node: Gateway;
  http: Api;
  agent: Awaited<ReturnType<typeof registerAccount>>;
}
const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const stack = await startStack();
  const proxy = await startTcpProxy(targetOf(stack.databaseUrl, 5432));
  const pool = await createDbPool(throughProxy(stack.databaseUrl, proxy), { maximumPoolSize: 2 });
  const bus = await createBus(testEnv().redisUrl, { name: 'netia-test-db-unavailable' });
  const { gateway: node } = buildGateway({
    config: stack.config,
    temporal: stack.temporal,
    client: stack.client,
    pool,
    bus,
    log: silentLogger,
    taskQueue: stack.taskQueue,
  });
  const port = await node.listen(0, '127.0.0.1');
  const agent = await registerAccount(api(stack.baseUrl), 'Outage');
  t.context = { stack, proxy, pool, bus, node, http: api(`http://127.0.0.1:${port}`), agent };
});

test.after.always(async (t) => {
  const { stack, proxy, pool, bus, node } = t.context;
  await node?.close();
  await bus?.close();
  await pool?.end();
  await proxy?.close();
  await stack?.stop();
});

test.serial('database down: an agent request is a 503 with Retry-After and a generic message; it succeeds once it is back', async (t) => {
  const { proxy, http, agent } = t.context;
  const before = await http.get('/api/conversations', agent.token);
  t.is(before.status, 200, JSON.stringify(before.body));

  proxy.cut();
  const down = await withTimeout(http.get('/api/conversations', agent.token), 15_000, 'list while the database is down');
  t.is(down.status, 503, JSON.stringify(down.body));
  t.is(down.headers.get('retry-after'), '5');
  t.regex(down.body.error.message, /temporarily unavailable/i);
  t.notRegex(JSON.stringify(down.body), /ECONN|postgres|slonik|connection/i, 'no internal detail reaches the client');

  proxy.restore();
  const back = await http.get('/api/conversations', agent.token);
  t.is(back.status, 200, JSON.stringify(back.body));
});

test.serial('database down: a public widget route is a 503 too, not a 500', async (t) => {
  const { proxy, http, agent } = t.context;
  proxy.cut();
  const down = await withTimeout(
    http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'During' } }),
    15_000,
    'create customer while the database is down',
  );
  t.is(down.status, 503, JSON.stringify(down.body));
  t.is(down.headers.get('retry-after'), '5');
  proxy.restore();
  const back = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'After' } });
  t.is(back.status, 201, JSON.stringify(back.body));
});

test('a socket event failing on an unreachable database gets an error reply with a reason and retry_after', (t) => {
  const reply = toChannelError(new ConnectionError('connect ECONNREFUSED 127.0.0.1:5432'), silentLogger, { topic: 'conversation:x' });
  t.deepEqual(reply, { reason: 'The service is temporarily unavailable. Please try again in a few seconds.', retry_after: 5 });
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  t.is(toChannelError(new Error('query failed', { cause: reset }), silentLogger, {}).retry_after, 5);
  // Anything else stays a generic internal error.
  t.deepEqual(toChannelError(new Error('bug'), silentLogger, {}), { reason: 'Internal Server Error' });
});
