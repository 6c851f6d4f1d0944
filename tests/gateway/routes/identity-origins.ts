/**
 * The widget origin allow-list (`accounts.allowed_origins`): when an account
 * sets one, browsers on other origins can neither call the public routes for
 * that account nor join its conversations, lobbies or room; an empty list
 * allows every origin (docs/compatibility.md#clients-built-for-the-original). Requests without Origin (not
 * a browser), from our own host (the `/chat` iframe) or with an agent token pass.
 */
import { connectSocket, join } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { connectWithOrigin, createScene, refusal, setAccount } from '../realtime-fixtures.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

const SHOP = 'https://shop.example';
const EVIL = 'https://evil.example';

async function call(stack: Stack, method: string, path: string, origin: string | undefined, body?: unknown) {
  const res = await fetch(stack.baseUrl + path, {
    method,
    headers: { ...(origin ? { origin } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, allowOrigin: res.headers.get('access-control-allow-origin') };
}

test('an account with allowed_origins refuses public routes from other browser origins with 403', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const account = scene.agent.accountId;
  await setAccount(stack, account, { allowed_origins: [SHOP] });
  const routes: [string, string, unknown?][] = [
    ['GET', `/api/widget_settings?account_id=${account}`],
    ['PUT', '/api/widget_settings/metadata', { account_id: account, metadata: { host: 'shop.example' } }],
    ['POST', '/api/customers', { customer: { account_id: account } }],
    ['POST', '/api/conversations', { conversation: { account_id: account, customer_id: scene.customerId } }],
    ['GET', `/api/customers/identify?external_id=u1&account_id=${account}`],
    ['GET', `/api/customers/${scene.customerId}/exists?account_id=${account}`],
    ['GET', `/api/customers/${scene.customerId}/exists`],
    ['PUT', `/api/customers/${scene.customerId}/metadata`, { metadata: {} }],
  ];
  for (const [method, path, body] of routes) {
    const refused = await call(stack, method, path, EVIL, body);
    t.is(refused.status, 403, `${method} ${path} from another origin`);
    t.deepEqual(refused.body, { error: { status: 403, message: 'Origin not allowed' } });
    t.is(refused.allowOrigin, EVIL, 'the refusal is readable by the page (CORS headers kept)');
    const allowed = await call(stack, method, path, SHOP, body);
    t.true(allowed.status < 400, `${method} ${path} from the listed origin: ${allowed.status}`);
    const server = await call(stack, method, path, undefined, body);
    t.true(server.status < 400, `${method} ${path} without Origin: ${server.status}`);
  }
  const ownHost = await call(stack, 'GET', `/api/widget_settings?account_id=${account}`, stack.baseUrl);
  t.is(ownHost.status, 200, 'our own origin (the /chat iframe) passes');
  const agent = await fetch(`${stack.baseUrl}/api/customers`, {
    method: 'POST',
    headers: { origin: EVIL, authorization: scene.agent.token, 'content-type': 'application/json' },
    body: JSON.stringify({ customer: {} }),
  });
  t.is(agent.status, 201, 'agents are authenticated by their token, not their origin');
  // Preflights still answer any origin (docs/compatibility.md#clients-built-for-the-original); the request itself is what is refused.
  const preflight = await fetch(`${stack.baseUrl}/api/customers`, {
    method: 'OPTIONS',
    headers: { origin: EVIL, 'access-control-request-method': 'POST' },
  });
  t.is(preflight.status, 204);
});

test('an account with allowed_origins refuses socket joins from other browser origins; agents pass', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  await setAccount(stack, scene.agent.accountId, { allowed_origins: [SHOP] });
  const evil = connectWithOrigin(stack.wsUrl, EVIL);
  const shop = connectWithOrigin(stack.wsUrl, SHOP);
  const noOrigin = connectSocket(stack.wsUrl);
  const agentOnEvil = connectWithOrigin(stack.wsUrl, EVIL, { token: scene.agent.token });
  try {
    const topics: [string, object][] = [
      [`conversation:${scene.conversationId}`, { customer_id: scene.customerId }],
      [`conversation:lobby:${scene.customerId}`, {}],
      [`room:${scene.agent.accountId}`, {}],
    ];
    for (const [topic, payload] of topics) {
      t.is(await refusal(join(evil, topic, payload)), 'unauthorized', `${topic} from another origin`);
      await join(shop, topic, payload);
      await join(noOrigin, topic, payload);
    }
    await join(agentOnEvil, `notification:${scene.agent.accountId}`);
    await join(agentOnEvil, `conversation:${scene.conversationId}`, {});
  } finally {
    for (const s of [evil, shop, noOrigin, agentOnEvil]) s.disconnect();
  }
});

test('an empty allow-list allows every origin, as clients built for the original expect', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http);
  const res = await call(stack, 'POST', '/api/customers', EVIL, { customer: { account_id: scene.agent.accountId } });
  t.is(res.status, 201);
  const socket = connectWithOrigin(stack.wsUrl, EVIL);
  try {
    await join(socket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId });
    await join(socket, `room:${scene.agent.accountId}`, {});
  } finally {
    socket.disconnect();
  }
  t.pass();
});
