/**
 * Uploads to local storage and attachments referenced by messages: size and
 * type limits, tenant scoping, and the workflow refusing files of another account.
 */
import anyTest, { type TestFn } from 'ava';
import { api, connectSocket, join, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api }>;

test.before(async (t) => {
  const stack = await startStack({ env: { UPLOAD_MAX_BYTES: '4096', UPLOAD_DIR: `.netia/test/uploads-${process.pid}` } });
  t.context = { stack, http: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

async function upload(stack: Stack, fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }, token?: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const res = await fetch(`${stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers: token ? { authorization: token } : {} });
  return { status: res.status, body: await res.json() };
}

test('a widget uploads a file for its account and a customer message carries it as an attachment', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const customerId = customer.body.data.id as string;
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const up = await upload(
    stack,
    { account_id: agent.accountId, customer_id: customerId },
    { name: '../../screen shot.png', type: 'image/png', data: png },
  );
  t.is(up.status, 201, JSON.stringify(up.body));
  t.is(up.body.data.filename, 'screen shot.png', 'path parts are stripped');
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: '', file_ids: [up.body.data.id] },
  });
  t.is(conv.status, 201, JSON.stringify(conv.body));
  const read = await http.get(`/api/conversations/${conv.body.data.id}`, agent.token);
  const [message] = read.body.data.messages;
  t.deepEqual(
    message.attachments.map((a: { id: string }) => a.id),
    [up.body.data.id],
  );
  const file = await fetch(stack.baseUrl + message.attachments[0].file_url);
  t.is(file.status, 200);
  t.is(file.headers.get('content-type'), 'image/png');
  t.is(file.headers.get('x-content-type-options'), 'nosniff');
  t.deepEqual(Buffer.from(await file.arrayBuffer()), png);

  // The agent can attach too, over the socket.
  const agentFile = await upload(stack, {}, { name: 'notes.txt', type: 'text/plain', data: Buffer.from('hello') }, agent.token);
  t.is(agentFile.status, 201);
  const socket = connectSocket(stack.wsUrl, { token: agent.token });
  try {
    const inbox = await join(socket, `notification:${agent.accountId}`);
    const reply = await inbox.push('shout', {
      conversation_id: conv.body.data.id,
      body: 'see attached',
      file_ids: [agentFile.body.data.id],
    });
    t.is(reply.attachments?.[0]?.filename, 'notes.txt');
  } finally {
    socket.disconnect();
  }
});

test('uploads over the size limit, of refused types, empty or for unknown accounts are 4xx', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  const big = await upload(stack, { account_id: agent.accountId }, { name: 'big.txt', type: 'text/plain', data: Buffer.alloc(5000, 97) });
  t.is(big.status, 422);
  const html = await upload(
    stack,
    { account_id: agent.accountId },
    { name: 'x.html', type: 'text/html', data: Buffer.from('<script>alert(1)</script>') },
  );
  t.is(html.status, 422, 'HTML is never stored, so never served back');
  t.is((await upload(stack, { account_id: agent.accountId })).status, 422, 'no file');
  t.is(
    (
      await upload(
        stack,
        { account_id: '3f9a4f56-1c1b-4c69-9a4e-1b1e8f0c0d11' },
        { name: 'a.txt', type: 'text/plain', data: Buffer.from('a') },
      )
    ).status,
    422,
  );
  const json = await http.post('/api/upload', { file: 'nope' });
  t.is(json.status, 400);
  t.is((await fetch(`${stack.baseUrl}/api/files/3f9a4f56-1c1b-4c69-9a4e-1b1e8f0c0d11`)).status, 404);
});

test("a message cannot attach another account's file", async (t) => {
  const { stack, http } = t.context;
  const a = await registerAccount(http);
  const b = await registerAccount(http);
  const theirs = await upload(stack, { account_id: b.accountId }, { name: 'b.txt', type: 'text/plain', data: Buffer.from('b') });
  const customer = await http.post('/api/customers', { customer: { account_id: a.accountId } });
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: a.accountId, customer_id: customer.body.data.id },
    message: { body: 'x', file_ids: [theirs.body.data.id] },
  });
  t.is(conv.status, 422, JSON.stringify(conv.body));
  t.deepEqual(conv.body.error.errors, { file_ids: ['contains unknown files'] });
  // The workflow refuses it as well (the gateway check is not the only line of defence).
  const ok = await http.post('/api/conversations', { conversation: { account_id: a.accountId, customer_id: customer.body.data.id } });
  const post = stack.conversations.post(ok.body.data.id, {
    accountId: a.accountId,
    author: { kind: 'customer', customerId: customer.body.data.id },
    body: 'x',
    fileIds: [theirs.body.data.id],
  });
  const err = await t.throwsAsync(post);
  t.regex(err?.message ?? '', /unknown file_ids/);
});
