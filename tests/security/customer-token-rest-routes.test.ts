/**
 * `require_customer_token` was socket-only (issue #13.4): in that mode a
 * visitor's REST routes still took the bare customer id as the capability, so
 * whoever learnt an id read the history, posted as the customer, rewrote its
 * details, uploaded for it or resolved an external id. Every such route now
 * demands the token of that customer (query, JSON body, multipart field or
 * `X-Customer-Token`): none → 401, another customer's → 403. Agents of the
 * account are exempt; an agent of another account is not.
 */
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { setAccount } from '../gateway/realtime-fixtures.js';

interface Ctx {
  stack: Stack;
  http: Api;
  agent: Awaited<ReturnType<typeof registerAccount>>;
  stranger: Awaited<ReturnType<typeof registerAccount>>;
  /** The victim customer (external id `ext-victim`) with its token, and another customer's token. */
  victim: { id: string; token: string };
  otherToken: string;
}
const test = anyTest as TestFn<Ctx>;

test.before(async (t) => {
  const stack = await startStack({ env: { UPLOAD_DIR: `.netia/test/uploads-sec-token-${process.pid}` } });
  const http = api(stack.baseUrl);
  const agent = await registerAccount(http, 'Token Co');
  const stranger = await registerAccount(http, 'Stranger Co');
  const victim = await http.post('/api/customers', { customer: { account_id: agent.accountId, external_id: 'ext-victim' } });
  const other = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: victim.body.data.id },
    message: { body: 'private history' },
  });
  await setAccount(stack, agent.accountId, { require_customer_token: true });
  t.context = {
    stack,
    http,
    agent,
    stranger,
    victim: { id: victim.body.data.id, token: victim.body.data.customer_token },
    otherToken: other.body.data.customer_token,
  };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

/** Send `token` (when given) the way the widget does for each route. */
type Attempt = (token: string | undefined, authorization?: string) => Promise<{ status: number; body: any }>;

function attempts(c: Ctx): Record<string, { send: Attempt; works: (body: any) => boolean }> {
  const { http, agent, victim } = c;
  const tq = (token: string | undefined) => (token ? `&customer_token=${encodeURIComponent(token)}` : '');
  return {
    history: {
      send: (token, auth) =>
        http.get(`/api/conversations/customer?customer_id=${victim.id}&account_id=${agent.accountId}${tq(token)}`, auth),
      works: (body) => Array.isArray(body.data) && body.data.some((c: any) => c.messages.some((m: any) => m.body === 'private history')),
    },
    'create conversation': {
      send: (token, auth) =>
        http.post(
          '/api/conversations',
          {
            conversation: { account_id: agent.accountId, customer_id: victim.id },
            message: { body: 'posted as the victim' },
            ...(token ? { customer_token: token } : {}),
          },
          auth,
        ),
      works: (body) => typeof body.data?.id === 'string',
    },
    metadata: {
      send: (token, auth) =>
        http.put(
          `/api/customers/${victim.id}/metadata`,
          { metadata: { name: 'Renamed' }, ...(token ? { customer_token: token } : {}) },
          auth,
        ),
      works: (body) => body.data?.id === victim.id,
    },
    exists: {
      send: (token, auth) => http.get(`/api/customers/${victim.id}/exists?account_id=${agent.accountId}${tq(token)}`, auth),
      works: (body) => body.data === true,
    },
    upload: {
      send: async (token, auth) => {
        const form = new FormData();
        form.append('account_id', agent.accountId);
        form.append('customer_id', victim.id);
        if (token) form.append('customer_token', token);
        form.append('file', new Blob([new Uint8Array(Buffer.from('hello'))], { type: 'text/plain' }), 'note.txt');
        const res = await fetch(`${c.stack.baseUrl}/api/upload`, {
          method: 'POST',
          body: form,
          headers: auth ? { authorization: auth } : {},
        });
        return { status: res.status, body: await res.json() };
      },
      works: (body) => typeof body.data?.id === 'string',
    },
    identify: {
      send: (token, auth) => http.get(`/api/customers/identify?account_id=${agent.accountId}&external_id=ext-victim${tq(token)}`, auth),
      works: (body) => body.data?.customer_id === c.victim.id,
    },
  };
}

for (const route of ['history', 'create conversation', 'metadata', 'exists', 'upload', 'identify']) {
  test(`${route}: without the customer token 401, with another customer's refused, with the right one it works`, async (t) => {
    const { send, works } = attempts(t.context)[route]!;
    const none = await send(undefined);
    t.is(none.status, 401);
    t.deepEqual(none.body, { error: { status: 401, message: 'Customer token required', code: 401 } });

    const wrong = await send(t.context.otherToken);
    if (route === 'identify') {
      // Identify tells nothing about a customer the token does not prove: the same answer as an unknown external id.
      t.is(wrong.status, 200);
      t.deepEqual(wrong.body, { data: { customer_id: null } });
    } else {
      t.is(wrong.status, 403);
      t.deepEqual(wrong.body, { error: { status: 403, message: 'Invalid customer token' } });
    }
    t.is((await send('ct1.forged')).status, route === 'identify' ? 200 : 403);

    const right = await send(t.context.victim.token);
    t.true(right.status === 200 || right.status === 201, `status ${right.status}`);
    t.true(works(right.body), JSON.stringify(right.body));

    // An agent of another account is a visitor here (creation and upload act in the agent's own account instead).
    if (route !== 'create conversation' && route !== 'upload') {
      const stranger = await send(undefined, t.context.stranger.token);
      t.is(stranger.status, 401, JSON.stringify(stranger.body));
    }
  });
}

test('the X-Customer-Token header proves the customer as the field does; the account agent is exempt', async (t) => {
  const { stack, agent, victim, otherToken } = t.context;
  const history = (token?: string) =>
    fetch(`${stack.baseUrl}/api/conversations/customer?customer_id=${victim.id}&account_id=${agent.accountId}`, {
      headers: token ? { 'x-customer-token': token } : {},
    });
  t.is((await history()).status, 401);
  t.is((await history(otherToken)).status, 403);
  t.is((await history(victim.token)).status, 200);
  const byAgent = await t.context.http.get(
    `/api/conversations/customer?customer_id=${victim.id}&account_id=${agent.accountId}`,
    agent.token,
  );
  t.is(byAgent.status, 200);
  t.true(byAgent.body.data.some((c: any) => c.messages.some((m: any) => m.body === 'private history')));
  const identified = await t.context.http.get(`/api/customers/identify?account_id=${agent.accountId}&external_id=ext-victim`, agent.token);
  t.is(identified.body.data.customer_id, victim.id);
});
