/**
 * Login throttling silently off while Redis is down (issue #13.6): a limiter
 * store failure let every request through, so taking Redis away (or waiting
 * for an outage) gave a password guesser unlimited tries. The `auth` bucket
 * (registration, login, session renewal, password reset) now fails closed:
 * 503 with `retry-after` and a clear message. The other buckets still fail
 * open (the widget keeps working), and say so in the log.
 */
import { createServer } from 'node:net';
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount } from '../helpers/api.js';
import { startStack, type GatewayNode, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; down: GatewayNode }>;

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test.before(async (t) => {
  const stack = await startStack({ worker: false });
  // A gateway node whose limiter store (REDIS_URL) is unreachable; its bus is the stack's own.
  const down = await stack.startGatewayNode({ REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
  t.context = { stack, down };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

test('with the limiter store down, sign-in routes answer 503 with retry-after; widget routes still work', async (t) => {
  const { stack, down } = t.context;
  const agent = await registerAccount(api(stack.baseUrl), 'Outage Co');
  const http = api(down.baseUrl);

  const login = await http.post('/api/session', { user: { email: agent.email, password: 'guess 1' } });
  t.is(login.status, 503);
  t.deepEqual(login.body, { error: { status: 503, message: 'Signing in is temporarily unavailable. Please try again in a minute.' } });
  t.is(login.headers.get('retry-after'), '30');
  for (const [method, path, body] of [
    ['POST', '/api/registration', { user: { email: 'new@example.com', password: 'correct horse battery', company_name: 'X' } }],
    ['POST', '/api/session/renew', { renew_token: 'x' }],
    ['POST', '/api/reset_password', { email: agent.email }],
    ['PUT', '/api/reset_password', { token: 'x'.repeat(43), password: 'correct horse battery' }],
  ] as const) {
    t.is((await http.call(method, path, body)).status, 503, `${method} ${path}`);
  }

  // Fails open for the widget (logged): a visitor can still start a chat.
  t.is((await http.post('/api/customers', { customer: { account_id: agent.accountId } })).status, 201);
  // The healthy node is unaffected.
  t.is((await api(stack.baseUrl).post('/api/session', { user: { email: agent.email, password: agent.password } })).status, 200);
});
