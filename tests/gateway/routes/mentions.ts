/**
 * @mentions (issue #17 item 3) through the real stack: a private note posted
 * over the socket or REST with `mentioned_user_ids` stores one mention per
 * mentioned agent of the account (never the author), refuses ids of other
 * accounts and of disabled agents, carries `mentioned_user_ids` on the message
 * and `mentions` on the conversation; the list filters `mentioning` /
 * `has_seen_mention`, the unread counter `mentioned`, the socket `read`
 * marking them seen; and the mention email through the account email path,
 * sent unless the agent turned `email_alert_on_mention` off.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { connectSocket, join, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { createScene } from '../realtime-fixtures.js';
import { addMember } from '../team.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);
const ZAny = z.object({}).passthrough();

async function verify(stack: Stack, userId: number): Promise<void> {
  await stack.pool.query(sql.type(ZAny)`UPDATE users SET email_confirmed_at = now() WHERE id = ${userId}`);
}

type Mail = { id: string; kind: string; to: string[]; subject: string; text: string; html: string | null };

/** Poll the built-in mailbox (as an admin of the account) until an email of `kind` to `to` is listed; return it in full. */
async function mailTo(http: Api, adminToken: string, to: string, kind: string, timeoutMs = 20_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await http.get('/api/dev/mailbox', adminToken);
    if (res.status !== 200) throw new Error(`mailbox answered ${res.status}`);
    const found = (res.body.data as Mail[]).find((m) => m.kind === kind && m.to.includes(to));
    if (found) return (await http.get(`/api/dev/mailbox/${found.id}`, adminToken)).body.data as Mail;
    if (Date.now() > deadline) throw new Error(`no ${kind} email to ${to}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function mentionMails(stack: Stack, accountId: string): Promise<string[][]> {
  return stack.pool.anyFirst(sql.type(z.object({ recipients: z.array(z.string()) }))`
    SELECT recipients FROM mailbox_messages WHERE account_id = ${accountId} AND kind = 'mention' ORDER BY inserted_at`) as Promise<
    string[][]
  >;
}

test('a note stores its mentions; filters, counter, seen state and emails follow; other accounts and disabled agents are refused', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http, 'Mentions Co');
  const author = scene.agent;
  const bea = await addMember(stack, author.accountId);
  const cal = await addMember(stack, author.accountId);
  const gone = await addMember(stack, author.accountId);
  await stack.pool.query(sql.type(ZAny)`UPDATE users SET disabled_at = now() WHERE id = ${gone.id}`);
  const other = await registerAccount(http, 'Other Co');
  for (const id of [author.userId, bea.id, cal.id]) await verify(stack, id);
  // Cal turned mention emails off; Bea keeps the default (on).
  const settings = await http.get('/api/user_settings', bea.token);
  t.is(settings.body.data.email_alert_on_mention, true, 'on by default');
  const off = await http.put('/api/user_settings', { user_settings: { email_alert_on_mention: false } }, cal.token);
  t.is(off.status, 200);
  t.is(off.body.data.email_alert_on_mention, false);

  await http.post('/api/customers', { customer: { account_id: author.accountId } }); // an unrelated customer
  await stack.pool.query(sql.type(ZAny)`UPDATE customers SET name = 'Casey Customer' WHERE id = ${scene.customerId}`);
  const socket = connectSocket(stack.wsUrl, { token: author.token });
  const beaSocket = connectSocket(stack.wsUrl, { token: bea.token });
  try {
    const inbox = await join(socket, `notification:${author.accountId}`);
    const beaInbox = await join(beaSocket, `notification:${author.accountId}`);

    // Refusals: another account's agent, a disabled agent, malformed ids. Nothing is stored.
    for (const [ids, label] of [
      [[other.userId], 'an agent of another account'],
      [[bea.id, gone.id], 'a disabled agent'],
      [['7'], 'a string id'],
    ] as const) {
      const err: { reason?: string; errors?: Record<string, string[]> } | null = await inbox
        .push('shout', { conversation_id: scene.conversationId, body: 'psst', private: true, mentioned_user_ids: ids })
        .then(
          () => null,
          (e: { response?: { reason?: string; errors?: Record<string, string[]> } }) => e.response ?? null,
        );
      t.is(err?.reason, 'Unprocessable Entity', label);
      t.truthy(err?.errors?.mentioned_user_ids, `${label}: the field is named`);
    }
    const rest = await http.post(
      '/api/messages',
      { message: { conversation_id: scene.conversationId, body: 'psst', type: 'note', mentioned_user_ids: [other.userId] } },
      author.token,
    );
    t.is(rest.status, 422, 'REST refuses another account’s agent');
    t.is((await http.get(`/api/conversations/${scene.conversationId}`, author.token)).body.data.last_seq, 0, 'nothing was posted');

    await inbox.push('shout', { conversation_id: scene.conversationId, body: 'hello Casey', client_message_id: 'r1' });
    const note = await inbox.push('shout', {
      conversation_id: scene.conversationId,
      body: '@Bea @Cal can you take this?',
      private: true,
      mentioned_user_ids: [bea.id, cal.id, author.userId, bea.id],
      client_message_id: 'n1',
    });
    t.deepEqual(note.mentioned_user_ids, [bea.id, cal.id], 'the self-mention is not stored; duplicates collapse');
    const live = await beaInbox.events.waitFor((e) => e.event === 'shout' && e.payload.id === note.id, 'the note reaches Bea live');
    t.deepEqual(live.payload.mentioned_user_ids, [bea.id, cal.id]);

    // A mention is only for notes: a public reply ignores the field.
    const reply = await inbox.push('shout', { conversation_id: scene.conversationId, body: 'public', mentioned_user_ids: [bea.id] });
    t.is(reply.mentioned_user_ids, undefined, 'a reply carries no mentions');

    const read = await http.get(`/api/conversations/${scene.conversationId}`, bea.token);
    t.deepEqual(
      read.body.data.mentions.map((m: { user_id: number; message_id: string; seen_at: string | null; object: string }) => [
        m.object,
        m.user_id,
        m.message_id,
        m.seen_at,
      ]),
      [
        ['mention', bea.id, note.id, null],
        ['mention', cal.id, note.id, null],
      ],
    );
    const transcript = await http.get(`/api/messages?conversation_id=${scene.conversationId}`, bea.token);
    t.deepEqual(
      transcript.body.data.map((m: { mentioned_user_ids?: number[] }) => m.mentioned_user_ids ?? null),
      [null, [bea.id, cal.id], null],
    );

    const ids = async (token: string, query: string): Promise<string[]> => {
      const res = await http.get(`/api/conversations?${query}`, token);
      t.is(res.status, 200, query);
      return res.body.data.map((c: { id: string }) => c.id);
    };
    const count = async (token: string, query: string): Promise<number> =>
      (await http.get(`/api/conversations/count?${query}`, token)).body.data.count as number;
    const mentioned = async (token: string): Promise<number> =>
      (await http.get('/api/conversations/unread', token)).body.data.mentioned as number;

    t.deepEqual(await ids(bea.token, 'mentioning=me'), [scene.conversationId]);
    t.deepEqual(await ids(bea.token, 'mentioning=me&has_seen_mention=false'), [scene.conversationId]);
    t.deepEqual(await ids(bea.token, 'mentioning=me&has_seen_mention=true'), []);
    t.deepEqual(await ids(author.token, 'mentioning=me'), [], 'the author did not mention themself');
    t.deepEqual(await ids(author.token, `mentioning=${cal.id}`), [scene.conversationId], 'by user id');
    t.is(await count(bea.token, 'mentioning=me&status=open'), 1);
    t.is(await mentioned(bea.token), 1, 'Bea has one unseen mention');
    t.is(await mentioned(cal.token), 1);
    t.is(await mentioned(author.token), 0);
    t.is((await http.get('/api/conversations?mentioning=someone', bea.token)).status, 422);
    // With a tag filter, the counter counts only tagged conversations, as the other counters do.
    const tag = (await http.post('/api/tags', { tag: { name: 'escalated' } }, author.token)).body.data.id as string;
    const taggedMentions = async (): Promise<number> =>
      (await http.get(`/api/conversations/unread?tag_id=${tag}`, bea.token)).body.data.mentioned as number;
    t.is(await taggedMentions(), 0, 'not tagged yet');
    t.is((await http.post(`/api/conversations/${scene.conversationId}/tags`, { tag_id: tag }, author.token)).status, 200);
    t.is(await taggedMentions(), 1, 'tagged');

    // Another account sees none of it.
    t.deepEqual(await ids(other.token, `mentioning=${bea.id}`), []);
    t.is(await mentioned(other.token), 0);

    // Bea opens the conversation (the console sends `read`): her mention is seen, Cal's is not.
    await beaInbox.push('read', { conversation_id: scene.conversationId });
    t.is(await mentioned(bea.token), 0, 'seen once Bea opened it');
    t.is(await mentioned(cal.token), 1, "Cal's mention is still unseen");
    t.deepEqual(await ids(bea.token, 'mentioning=me&has_seen_mention=true'), [scene.conversationId]);
    t.deepEqual(await ids(bea.token, 'mentioning=me&has_seen_mention=false'), []);
    const after = await http.get(`/api/conversations/${scene.conversationId}`, bea.token);
    const beas = after.body.data.mentions.find((m: { user_id: number }) => m.user_id === bea.id);
    t.truthy(beas.seen_at, 'seen_at is set');

    // A closed conversation no longer counts for Cal.
    await http.put(`/api/conversations/${scene.conversationId}`, { conversation: { status: 'closed' } }, author.token);
    t.is(await mentioned(cal.token), 0, 'only open conversations count');

    // Email: Bea gets one (subject, the last messages, a link); Cal turned them off; the author never.
    const mail = await mailTo(http, author.token, bea.email, 'mention');
    t.regex(mail.subject, /mentioned you in a conversation with Casey Customer/);
    t.regex(mail.text, /@Bea @Cal can you take this\?/);
    t.regex(mail.text, /hello Casey/, 'earlier messages for context');
    t.regex(mail.text, new RegExp(`/inbox/mentions/${scene.conversationId}`), 'a link to the conversation');
    // The recipients were chosen by one query, before Bea's email was started: Cal's would be there too.
    t.deepEqual(await mentionMails(stack, author.accountId), [[bea.email]], 'one email, to Bea only');

    // A retried post (same client message id) stores and mails nothing more.
    const again = await inbox.push('shout', {
      conversation_id: scene.conversationId,
      body: '@Bea @Cal can you take this?',
      private: true,
      mentioned_user_ids: [bea.id, cal.id],
      client_message_id: 'n1',
    });
    t.is(again.id, note.id);
    const rows = await stack.pool.oneFirst(
      sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM mentions WHERE message_id = ${note.id}`,
    );
    t.is(rows, 2);

    // REST: a note with a mention (and Bea mentioned again, unseen again).
    const restNote = await http.post(
      '/api/messages',
      { message: { conversation_id: scene.conversationId, body: 'over REST', private: true, mentioned_user_ids: [bea.id] } },
      author.token,
    );
    t.is(restNote.status, 201);
    t.deepEqual(restNote.body.data.mentioned_user_ids, [bea.id]);
    t.deepEqual(await ids(bea.token, 'mentioning=me&has_seen_mention=false'), [scene.conversationId]);
  } finally {
    socket.disconnect();
    beaSocket.disconnect();
  }
});
