/**
 * Resync after a bus reconnect (issue #16): Redis pub/sub is at most once, so
 * what is published while a gateway's subscriber connection is down never
 * reaches that gateway's sockets, which stay open. When the connection is
 * back, the gateway errors every joined channel; the clients rejoin with what
 * they have seen and the join's catch-up sends what they missed: a widget on
 * `conversation:<id>` (last_seq) and a console on `notification:<account>`
 * (its open conversations' seqs) get the message sent during the outage,
 * once and in order.
 *
 * The outage is a TCP proxy between this gateway node and Redis that the
 * test cuts and restores: only this node's connections drop (the test Redis
 * is shared with other test files and engineers).
 */
import anyTest, { type TestFn } from 'ava';
import { buildGateway } from '../../bin/gateway.js';
import type { Gateway } from '../../gateway/app.js';
import { createBus, type Bus } from '../../services/bus/index.js';
import { silentLogger } from '../../services/log.js';
import { api, connectSocket, join, type Api, type JoinedChannel } from '../helpers/api.js';
import { testEnv, uniqueName } from '../helpers/env.js';
import { withTimeout } from '../helpers/phoenix-client.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { startTcpProxy, targetOf, throughProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createScene, isShout, shoutSeqs } from './realtime-fixtures.js';

interface Context {
  stack: Stack;
  api: Api;
  proxy: TcpProxy;
  lost: string[];
  node: { gateway: Gateway; bus: Bus; wsUrl: string };
}

const test = anyTest as TestFn<Context>;

test.before(async (t) => {
  const stack = await startStack();
  const redisUrl = testEnv().redisUrl;
  if (!redisUrl) throw new Error('the bus test needs Redis');
  const proxy = await startTcpProxy(targetOf(redisUrl, 6379));
  const lost: string[] = [];
  // This node's bus goes through the proxy; the worker (and the stack's own gateway) talk to Redis directly.
  const bus = await createBus(throughProxy(redisUrl, proxy), {
    name: uniqueName('netia-resync'),
    onConnectionError: (_err, connection) => lost.push(connection),
  });
  const node = buildGateway({
    config: stack.config,
    temporal: stack.temporal,
    client: stack.client,
    pool: stack.pool,
    bus,
    log: silentLogger,
    taskQueue: stack.taskQueue,
  });
  const port = await node.gateway.listen(0, '127.0.0.1');
  t.context = { stack, api: api(stack.baseUrl), proxy, lost, node: { gateway: node.gateway, bus, wsUrl: `ws://127.0.0.1:${port}/socket` } };
});
test.after.always(async (t) => {
  await t.context.node?.gateway.close();
  await t.context.node?.bus.close();
  await t.context.proxy?.close();
  await t.context.stack?.stop();
});

test('a message sent while the gateway lost its Redis subscriber reaches a joined widget and console after the reconnect, once and in order', async (t) => {
  const { stack, api: http, proxy, node } = t.context;
  const scene = await createScene(http, 'Resync');
  const post = async (body: string): Promise<number> => {
    const res = await http.post('/api/messages', { message: { conversation_id: scene.conversationId, body } }, scene.agent.token);
    if (res.status !== 201) throw new Error(`message: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data.seq as number;
  };

  const widgetSocket = connectSocket(node.wsUrl);
  const consoleSocket = connectSocket(node.wsUrl, { token: scene.agent.token });
  try {
    // As the widget and the console: the join payload is read at every (re)join and names what was seen.
    const joined: { widget?: JoinedChannel; agent?: JoinedChannel } = {};
    const seen = (channel: JoinedChannel | undefined): number => (channel ? Math.max(0, ...shoutSeqs(channel)) : 0);
    const widget = (joined.widget = await join(widgetSocket, `conversation:${scene.conversationId}`, () => ({
      customer_id: scene.customerId,
      customer_token: scene.customerToken,
      last_seq: seen(joined.widget),
    })));
    const agent = (joined.agent = await join(consoleSocket, `notification:${scene.agent.accountId}`, () => ({
      conversations: { [scene.conversationId]: seen(joined.agent) },
    })));
    t.is(await post('before the outage'), 1);
    await widget.events.waitFor(isShout(1), 'widget: live message');
    await agent.events.waitFor(isShout(1), 'console: live message');

    // The outage: this node's Redis connections drop; the message is published meanwhile (seen on a direct subscriber).
    const published = new Promise<void>((resolve) => {
      void stack.bus.subscribe(`conversation:${scene.conversationId}`, (event, payload) => {
        if (event === 'shout' && (payload as { seq?: unknown }).seq === 2) resolve();
      });
    });
    proxy.cut();
    t.is(await post('during the outage'), 2);
    await withTimeout(published, 15_000, 'the message published on Redis');
    t.false(shoutSeqs(widget).includes(2), 'lost to the widget while the subscriber was down');

    proxy.restore();
    await widget.events.waitFor(isShout(2), 'widget: the missed message after the reconnect', 20_000);
    await agent.events.waitFor(isShout(2), 'console: the missed message after the reconnect', 20_000);
    t.is(await post('after the reconnect'), 3);
    await widget.events.waitFor(isShout(3), 'widget: live again', 20_000);
    await agent.events.waitFor(isShout(3), 'console: live again', 20_000);
    t.deepEqual(shoutSeqs(widget), [1, 2, 3], 'widget: each message once, in order');
    t.deepEqual(shoutSeqs(agent), [1, 2, 3], 'console: each message once, in order');
    // The drop was reported once per connection, not once per reconnect attempt.
    const lost = t.context.lost;
    t.is(lost.filter((c) => c === 'subscribe').length, 1, JSON.stringify(lost));
    t.true(lost.filter((c) => c === 'publish').length <= 1, JSON.stringify(lost));
  } finally {
    widgetSocket.disconnect();
    consoleSocket.disconnect();
  }
});
