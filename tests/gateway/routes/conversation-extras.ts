/**
 * The routes of gateway/routes/conversation-extras.ts on a full stack (worker
 * included, so messages go through the conversation workflow): posting and
 * reading messages, share links (private notes hidden, tampered and expired
 * tokens refused), previous/related conversations and conversation tags, each
 * refused with 404 to another account with nothing changed, and bad input
 * answered 4xx, never 500.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { signShareToken } from '../../../services/conversations/extras.js';
import { must, api, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
interface Ctx {
  stack: Stack;
  api: Api;
  a: Agent;
  b: Agent;
  customer: string;
  first: string;
  second: string;
  tagA: string;
  tagB: string;
}

const test = sharedModuleTest<Ctx>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const a = await registerAccount(http, 'Alpha');
  const b = await registerAccount(http, 'Beta');
  const customer = (await must(await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Carol' } }), 'setup')).id;
  const first = (
    await must(
      await http.post('/api/conversations', { conversation: { customer_id: customer }, message: { body: 'first hello' } }, a.token),
      'setup',
    )
  ).id;
  const second = (
    await must(
      await http.post('/api/conversations', { conversation: { customer_id: customer }, message: { body: 'second hello' } }, a.token),
      'setup',
    )
  ).id;
  const tagA = (await must(await http.post('/api/tags', { tag: { name: 'vip' } }, a.token), 'setup')).id;
  const tagB = (await must(await http.post('/api/tags', { tag: { name: 'b-vip' } }, b.token), 'setup')).id;
  return { stack, api: http, a, b, customer, first, second, tagA, tagB };
});

async function messageCount(stack: Stack, conversationId: string): Promise<number> {
  return stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${conversationId}`,
  );
}

test.serial('POST /api/messages posts as the agent; notes are private; GET /api/messages/:id reads it back', async (t) => {
  const { api: http, a, first } = t.context;
  const reply = await http.post(
    '/api/messages',
    { message: { conversation_id: first, body: 'an answer', client_message_id: 'c-1' } },
    a.token,
  );
  t.is(reply.status, 201, JSON.stringify(reply.body));
  t.is(reply.body.data.body, 'an answer');
  t.is(reply.body.data.user_id, a.userId);
  t.false(reply.body.data.private);
  const again = await http.post(
    '/api/messages',
    { message: { conversation_id: first, body: 'an answer', client_message_id: 'c-1' } },
    a.token,
  );
  t.is(again.body.data.id, reply.body.data.id, 'the client message id makes it idempotent');

  const note = await http.post('/api/messages', { message: { conversation_id: first, body: 'secret note', type: 'note' } }, a.token);
  t.is(note.status, 201);
  t.true(note.body.data.private);
  t.is(note.body.data.type, 'note');

  const read = await http.get(`/api/messages/${note.body.data.id}`, a.token);
  t.is(read.status, 200);
  t.is(read.body.data.body, 'secret note');
  t.is((await http.get('/api/messages/not-a-uuid', a.token)).status, 404);
  t.is((await http.get('/api/messages/00000000-0000-4000-8000-000000000000', a.token)).status, 404);
});

test.serial('another account gets 404 on every id route and changes nothing', async (t) => {
  const { api: http, stack, a, b, first, second, tagA, tagB } = t.context;
  const before = await messageCount(stack, first);
  const posted = await http.post('/api/messages', { message: { conversation_id: first, body: 'intrusion' } }, b.token);
  t.is(posted.status, 404, JSON.stringify(posted.body));
  t.is(posted.body.error.status, 404);
  t.is(await messageCount(stack, first), before, 'no message stored (Q4)');

  const someMessage = (await http.get(`/api/messages?conversation_id=${first}`, a.token)).body.data[0].id;
  t.is((await http.get(`/api/messages/${someMessage}`, b.token)).status, 404);
  t.is((await http.post(`/api/conversations/${first}/share`, undefined, b.token)).status, 404);
  t.is((await http.get(`/api/conversations/${second}/previous`, b.token)).status, 404);
  t.is((await http.get(`/api/conversations/${first}/related`, b.token)).status, 404);
  t.is((await http.post(`/api/conversations/${first}/tags`, { tag_id: tagB }, b.token)).status, 404, "B's tag on A's conversation");
  t.is((await http.post(`/api/conversations/${first}/tags`, { tag_id: tagA }, b.token)).status, 404, "A's tag on A's conversation, by B");
  t.is((await http.post(`/api/conversations/${first}/tags`, { tag_id: tagB }, a.token)).status, 404, "A cannot use B's tag");
  t.is((await http.del(`/api/conversations/${first}/tags/${tagA}`, b.token)).status, 404);
  const tagged = await stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM conversation_tags WHERE conversation_id = ${first}`,
  );
  t.is(tagged, 0);
});

test.serial('bad input is 4xx, never 500', async (t) => {
  const { api: http, a, first } = t.context;
  const cases: [string, string, unknown, number][] = [
    ['POST', '/api/messages', {}, 400],
    ['POST', '/api/messages', { message: 'x' }, 400],
    ['POST', '/api/messages', { message: { conversation_id: 'nope', body: 'x' } }, 422],
    ['POST', '/api/messages', { message: { conversation_id: first } }, 422],
    ['POST', '/api/messages', { message: { conversation_id: first, body: 5 } }, 422],
    ['POST', '/api/messages', { message: { conversation_id: first, body: 'x', type: 'bot' } }, 422],
    ['POST', '/api/messages', { message: { conversation_id: first, body: 'x', file_ids: ['00000000-0000-4000-8000-000000000000'] } }, 422],
    ['POST', '/api/messages', { message: { conversation_id: first, body: 'x\u0000' } }, 422],
    ['POST', '/api/messages', { message: { conversation_id: '00000000-0000-4000-8000-000000000000', body: 'x' } }, 404],
    ['POST', `/api/conversations/${first}/tags`, {}, 422],
    ['POST', `/api/conversations/${first}/tags`, { tag_id: 'nope' }, 422],
    ['POST', `/api/conversations/${first}/tags`, [1], 400],
    ['POST', '/api/conversations/nope/tags', { tag_id: first }, 404],
    ['DELETE', `/api/conversations/${first}/tags/nope`, undefined, 404],
    ['GET', `/api/conversations/${first}/related?limit=0`, undefined, 422],
    ['GET', `/api/conversations/${first}/related?limit=abc`, undefined, 422],
    ['GET', '/api/conversations/nope/previous', undefined, 404],
    ['POST', '/api/conversations/nope/share', undefined, 404],
    ['GET', '/api/conversations/shared', undefined, 422],
    ['GET', '/api/conversations/shared?conversation_id=x&token=y', undefined, 403],
  ];
  for (const [method, path, body, status] of cases) {
    const res = await http.call(method, path, body, a.token);
    t.is(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
  }
  t.is((await http.post('/api/messages', { message: { conversation_id: first, body: 'x' } })).status, 401);
});

test.serial('previous and related conversations of the same customer', async (t) => {
  const { api: http, a, first, second } = t.context;
  const previous = await http.get(`/api/conversations/${second}/previous`, a.token);
  t.is(previous.status, 200);
  t.is(previous.body.data.id, first);
  t.true(previous.body.data.messages.length >= 1);
  t.is(previous.body.data.customer.name, 'Carol');
  t.deepEqual((await http.get(`/api/conversations/${first}/previous`, a.token)).body, { data: null });

  const related = await http.get(`/api/conversations/${second}/related`, a.token);
  t.is(related.status, 200);
  t.deepEqual(
    related.body.data.map((c: any) => c.id),
    [first],
  );
  t.is(related.body.data[0].messages.length, 1, 'only the latest message');
  t.is(related.body.data[0].messages[0].body, 'secret note');
  t.deepEqual((await http.get(`/api/conversations/${second}/related?limit=1`, a.token)).body.data.length, 1);
});

test.serial('conversation tags: idempotent add, shown on the conversation, remove', async (t) => {
  const { api: http, a, first, second, tagA } = t.context;
  for (let i = 0; i < 2; i++) {
    const res = await http.post(`/api/conversations/${first}/tags`, { tag_id: tagA }, a.token);
    t.is(res.status, 200, JSON.stringify(res.body));
    t.deepEqual(res.body, { data: { ok: true } });
  }
  const related = await http.get(`/api/conversations/${second}/related`, a.token);
  t.deepEqual(
    related.body.data[0].tags.map((tag: any) => tag.id),
    [tagA],
  );
  for (let i = 0; i < 2; i++) {
    const res = await http.del(`/api/conversations/${first}/tags/${tagA}`, a.token);
    t.deepEqual(res.body, { data: { ok: true } });
  }
  t.deepEqual((await http.get(`/api/conversations/${second}/related`, a.token)).body.data[0].tags, []);
});

test.serial('a share link shows the conversation without private notes; tampered, foreign and expired tokens are refused', async (t) => {
  const { api: http, stack, a, first, second } = t.context;
  const share = await http.post(`/api/conversations/${first}/share`, undefined, a.token);
  t.is(share.status, 200);
  t.true(share.body.data.ok);
  const token: string = share.body.data.token;

  const shared = await http.get(`/api/conversations/shared?conversation_id=${first}&token=${encodeURIComponent(token)}`);
  t.is(shared.status, 200, JSON.stringify(shared.body));
  t.is(shared.body.data.id, first);
  t.is(shared.body.data.customer.name, 'Carol');
  const bodies = shared.body.data.messages.map((m: any) => m.body);
  t.true(bodies.includes('an answer'));
  t.false(bodies.includes('secret note'), 'private notes are not shared (Q9)');
  t.false(shared.body.data.messages.some((m: any) => m.private));

  const denied = async (conversationId: string, tok: string, message: string) => {
    const res = await http.get(`/api/conversations/shared?conversation_id=${conversationId}&token=${encodeURIComponent(tok)}`);
    t.is(res.status, 403, JSON.stringify(res.body));
    t.is(res.body.error.message, message);
  };
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  await denied(first, token.slice(0, -1) + last, 'Access denied');
  await denied(second, token, 'Access denied');
  await denied(first, 'garbage', 'Access denied');
  // An authentic token whose expiry was moved forward by hand no longer verifies.
  const [, exp, mac] = token.split('.');
  await denied(first, `cs1.${(parseInt(exp!, 36) + 1000).toString(36)}.${mac}`, 'Access denied');
  await denied(first, signShareToken(stack.config.secretKeyBase, first, Date.now() - 1000), 'This link has expired');
  await denied(first, signShareToken(undefined, first), 'Access denied');

  // Archived: the link stops working.
  const secondToken = (await http.post(`/api/conversations/${second}/share`, undefined, a.token)).body.data.token;
  t.is((await http.post(`/api/conversations/${second}/archive`, undefined, a.token)).status, 200);
  t.is((await http.get(`/api/conversations/shared?conversation_id=${second}&token=${encodeURIComponent(secondToken)}`)).status, 404);
  t.is((await http.post(`/api/conversations/${second}/share`, undefined, a.token)).status, 404);
});
