/**
 * SMS complete (issue #19 item 2): inbound MMS media stored as files, replies with attachments
 * sent as MMS (North American numbers) or as links, agent-initiated texts recorded in the
 * customer's SMS conversation, and the opt-out keywords. Real gateway, worker, Temporal,
 * PostgreSQL and Redis; Twilio is the local fake (REST API and media URLs with HTTP Basic auth).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { FAST_DELIVERY_ENV, PUBLIC_URL, startIntegrationStack } from '../helpers/integrations.js';
import { connectTwilio, mediaParams, newMessageSid, newPhoneNumber, postTwilioForm, signedSms } from '../helpers/sms.js';
import type { Stack } from '../helpers/stack.js';

interface Context {
  stack: Stack;
  api: Api;
  twilio: FakeTwilio;
  /** A server that must never be connected to (media outside the allow-list, or allow-listed but private). */
  forbidden: { server: Server; port: number; connections: number };
}

const test = anyTest as TestFn<Context>;
const MAX_BYTES = 64 * 1024;
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(200, 7)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test.before(async (t) => {
  const forbidden = { server: createServer((_req, res) => res.end('no')), port: 0, connections: 0 };
  forbidden.server.on('connection', () => forbidden.connections++);
  await new Promise<void>((resolve) => forbidden.server.listen(0, '127.0.0.1', resolve));
  forbidden.port = (forbidden.server.address() as AddressInfo).port;
  const twilio = await startFakeTwilio();
  const stack = await startIntegrationStack({
    env: {
      TWILIO_API_URL: twilio.url,
      // An allow-listed host that resolves to a private address: the SSRF guard must still refuse it.
      TWILIO_MEDIA_HOSTS: `localhost:${forbidden.port}`,
      UPLOAD_MAX_BYTES: String(MAX_BYTES),
      ...FAST_DELIVERY_ENV,
    },
  });
  t.context = { stack, api: api(stack.baseUrl), twilio, forbidden };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.twilio?.close();
  await new Promise((resolve) => t.context.forbidden?.server.close(resolve));
});

const ZMessage = z.object({
  id: z.string(),
  body: z.string().nullable(),
  type: z.string(),
  customer_id: z.string().nullable(),
  user_id: z.number().nullable(),
  metadata: z.record(z.unknown()),
});

async function messagesOf(stack: Stack, conversationId: string) {
  return stack.pool.any(sql.type(ZMessage)`
    SELECT id, body, type, customer_id, user_id, metadata FROM messages WHERE conversation_id = ${conversationId} ORDER BY seq`);
}

async function conversationOf(stack: Stack, accountId: string, phone: string): Promise<string> {
  return stack.pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT c.id FROM conversations c JOIN customers cu ON cu.id = c.customer_id
    WHERE c.account_id = ${accountId} AND cu.phone = ${phone} AND c.source = 'sms' ORDER BY c.inserted_at DESC LIMIT 1`);
}

/** Wait for the delivery workflow of a reply to end (it succeeds, or gives up and records why). */
async function deliveryOf(stack: Stack, messageId: string) {
  await stack.client.workflow
    .getHandle(`sms-${messageId}`)
    .result()
    .catch(() => undefined);
  return stack.pool.maybeOne(sql.type(z.object({ kind: z.string(), status: z.string().nullable(), detail: z.record(z.unknown()) }))`
    SELECT kind, status, detail FROM integration_deliveries WHERE job_id = ${`sms-${messageId}`}`);
}

async function upload(ctx: Context, token: string, name: string, type: string, data: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  const res = await fetch(`${ctx.stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers: { authorization: token } });
  const body = (await res.json()) as { data: { id: string } };
  if (res.status !== 201) throw new Error(`upload ${res.status}: ${JSON.stringify(body)}`);
  return body.data.id;
}

test('an inbound MMS stores its accepted media as the message attachments, fetched with the account credentials, once per MessageSid', async (t) => {
  const { api: http, stack, twilio, forbidden } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const phone = newPhoneNumber();
  const media = [
    { url: twilio.addMedia('image/png', PNG), contentType: 'image/png' },
    { url: twilio.addMedia('application/pdf', PDF), contentType: 'application/pdf' },
    // Refused by type (not even fetched), by size, outside the allow-list, allow-listed but private.
    { url: twilio.addMedia('audio/amr', Buffer.alloc(100, 1)), contentType: 'audio/amr' },
    { url: twilio.addMedia('image/jpeg', Buffer.alloc(MAX_BYTES + 1, 1)), contentType: 'image/jpeg' },
    { url: `http://127.0.0.1:${forbidden.port}/2010-04-01/x.png`, contentType: 'image/png' },
    { url: `https://localhost:${forbidden.port}/x.png`, contentType: 'image/png' },
  ];
  const sid = newMessageSid();
  const sms = signedSms(twilio, number, phone, 'Here is the receipt', sid, mediaParams(media));
  const res = await postTwilioForm(stack, '/api/twilio/webhook', sms.params, sms.signature);
  t.is(res.status, 200);

  const conversationId = await conversationOf(stack, agent.accountId, phone);
  const thread = await http.get(`/api/messages?conversation_id=${conversationId}`, agent.token);
  const [message] = (thread.body.data as Array<{ body: string; attachments: Array<Record<string, unknown>> }>).filter((m) =>
    m.body.startsWith('Here is'),
  );
  t.is(message!.body, 'Here is the receipt\n(4 attachments not imported)');
  t.deepEqual(
    message!.attachments.map((a) => [a.filename, a.content_type, a.size]),
    [
      ['mms-1.png', 'image/png', PNG.length],
      ['mms-2.pdf', 'application/pdf', PDF.length],
    ],
  );
  const download = await fetch(`${stack.baseUrl}${message!.attachments[0]!.file_url as string}`);
  t.deepEqual(Buffer.from(await download.arrayBuffer()), PNG, 'the stored bytes are the medium');

  const fetched = twilio.mediaRequests.filter((r) => media.slice(0, 4).some((m) => m.url.endsWith(r.path)));
  t.deepEqual(fetched.map((r) => r.path).sort(), [media[0]!, media[1]!, media[3]!].map((m) => new URL(m.url).pathname).sort());
  t.true(
    fetched.every((r) => r.auth?.user === twilio.accountSid && r.auth.password === twilio.authToken),
    'HTTP Basic auth with the account SID and auth token',
  );
  t.is(forbidden.connections, 0, 'no connection outside the allow-list or to a private address');

  // Twilio posting the same message again stores nothing more.
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', sms.params, sms.signature)).status, 200);
  const files = await stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM files WHERE account_id = ${agent.accountId}`,
  );
  t.is(files, 2);
  t.is((await messagesOf(stack, conversationId)).length, 1);
});

test('a medium the media server does not serve is left out and the message says so', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const phone = newPhoneNumber();
  const url = twilio.addMedia('image/png', PNG).replace(`/Accounts/${twilio.accountSid}/`, '/Accounts/ACother/');
  const sms = signedSms(twilio, number, phone, '', newMessageSid(), mediaParams([{ url, contentType: 'image/png' }]));
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', sms.params, sms.signature)).status, 200);
  const [message] = await messagesOf(stack, await conversationOf(stack, agent.accountId, phone));
  t.is(message!.body, '(1 attachment not imported)');
  const path = new URL(url).pathname;
  t.is(twilio.mediaRequests.filter((r) => r.path === path).length, 1, 'asked once, answered 404');
});

test('an agent reply with attachments goes out as one MMS to a North American number and as text with links elsewhere', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const fileId = await upload(t.context, agent.token, 'menu.pdf', 'application/pdf', PDF);
  const fileUrl = `${PUBLIC_URL}/api/files/${fileId}/menu.pdf`;
  const us = newPhoneNumber();
  const uk = `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`;
  for (const phone of [us, uk]) {
    const sms = signedSms(twilio, number, phone, 'Menu please');
    t.is((await postTwilioForm(stack, '/api/twilio/webhook', sms.params, sms.signature)).status, 200);
  }
  for (const phone of [us, uk]) {
    const conversationId = await conversationOf(stack, agent.accountId, phone);
    const reply = await http.post(
      '/api/messages',
      { message: { conversation_id: conversationId, body: 'Here it is', file_ids: [fileId] } },
      agent.token,
    );
    t.is(reply.status, 201, JSON.stringify(reply.body));
    t.is((await deliveryOf(stack, reply.body.data.id as string))?.kind, 'sms');
  }
  const toUs = twilio.messages.filter((m) => m.to === us);
  t.is(toUs.length, 1);
  t.is(toUs[0]!.body, 'Here it is');
  t.deepEqual(toUs[0]!.media_urls, [fileUrl]);
  const toUk = twilio.messages.filter((m) => m.to === uk);
  t.is(toUk.length, 1);
  t.is(toUk[0]!.body, `Here it is\n${fileUrl}`);
  t.deepEqual(toUk[0]!.media_urls, []);
  const file = await fetch(fileUrl.replace(PUBLIC_URL, stack.baseUrl));
  t.is(file.status, 200, 'the media URL is served without a login (the file id is the capability)');
});

test('STOP opts the number out (noted in the conversation, replies and texts refused) and START opts it in again', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const phone = newPhoneNumber();
  const stop = signedSms(twilio, number, phone, ' Stop. ');
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', stop.params, stop.signature)).status, 200);
  const conversationId = await conversationOf(stack, agent.accountId, phone);
  const afterStop = await messagesOf(stack, conversationId);
  t.deepEqual(
    afterStop.map((m) => [m.type, m.body]),
    [
      ['reply', ' Stop. '],
      ['system', `${phone} texted STOP and is opted out: no more texts are sent to this number until it texts START.`],
    ],
  );

  const refused = await http.post(
    '/api/messages',
    { message: { conversation_id: conversationId, body: 'Sorry to see you go' } },
    agent.token,
  );
  t.is(refused.status, 201);
  const failed = await deliveryOf(stack, refused.body.data.id as string);
  t.is(failed?.kind, 'sms-failed');
  t.regex(String(failed?.detail.reason), /opted out/);
  const direct = await http.post('/api/twilio/send', { to: phone, body: 'Still there?' }, agent.token);
  t.is(direct.status, 422);
  t.regex(direct.body.error.message, /opted out of texts/);
  t.deepEqual(direct.body.error.errors, { to: ['has opted out of texts (replied STOP)'] });
  t.is(twilio.messages.filter((m) => m.to === phone).length, 0, 'nothing was sent to the opted-out number');

  // Another account's customer with the same number is not opted out of that account's texts.
  const other = await registerAccount(http);
  await connectTwilio(t.context, other);
  const elsewhere = await http.post('/api/twilio/send', { to: phone, body: 'Hi from another shop' }, other.token);
  t.is(elsewhere.status, 200, JSON.stringify(elsewhere.body));

  const start = signedSms(twilio, number, phone, 'START');
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', start.params, start.signature)).status, 200);
  const notes = (await messagesOf(stack, conversationId)).filter((m) => m.type === 'system').map((m) => m.body);
  t.is(notes[1], `${phone} texted START and is opted in again: texts to this number are sent again.`);
  const welcome = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Welcome back' } }, agent.token);
  t.is((await deliveryOf(stack, welcome.body.data.id as string))?.kind, 'sms');
  t.deepEqual(
    twilio.messages.filter((m) => m.to === phone && m.from === number).map((m) => m.body),
    ['Welcome back'],
  );

  // HELP is left to Twilio: recorded as the customer's text, nothing is answered or changed.
  const help = signedSms(twilio, number, phone, 'help');
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', help.params, help.signature)).status, 200);
  const last = (await messagesOf(stack, conversationId)).at(-1)!;
  t.deepEqual([last.type, last.body, last.metadata.sms_keyword], ['reply', 'help', 'HELP']);
});

test('a send Twilio refuses with 21610 (the number texted STOP to Twilio) records the opt-out and answers it clearly', async (t) => {
  const { api: http, twilio } = t.context;
  const agent = await registerAccount(http);
  await connectTwilio(t.context, agent);
  const phone = newPhoneNumber();
  twilio.unsubscribed.add(phone);
  const first = await http.post('/api/twilio/send', { to: phone, body: 'Your order shipped' }, agent.token);
  t.is(first.status, 422);
  t.deepEqual(first.body.error.errors, { to: ['has opted out of texts (replied STOP)'] });
  twilio.unsubscribed.delete(phone);
  const second = await http.post('/api/twilio/send', { to: phone, body: 'Your order shipped' }, agent.token);
  t.is(second.status, 422, 'refused here from now on, without asking Twilio');
  t.is(twilio.requests.filter((r) => r.method === 'POST' && r.form.To === phone).length, 1);
});

// Known gap (see the branch report): recording the text in the conversation fails (slonik refuses pool queries inside the
// send's transaction, and running it there starves the pool), so conversation_id is null; `failing` until fixed.
test('an agent-initiated text finds or creates the customer, is sent once per Idempotency-Key and opens the SMS conversation the answer continues', async (t) => {
  const { api: http, stack, twilio } = t.context;
  const agent = await registerAccount(http);
  const number = await connectTwilio(t.context, agent);
  const phone = newPhoneNumber();

  const invalid = await http.post('/api/twilio/send', { to: '555-1234', body: 'hi' }, agent.token);
  t.is(invalid.status, 422);
  t.truthy(invalid.body.error.errors.to);
  const other = await registerAccount(http);
  const otherCustomer = await http.post('/api/customers', { customer: { name: 'Theirs', phone } }, other.token);
  const foreign = await http.post('/api/twilio/send', { to: phone, body: 'hi', customer_id: otherCustomer.body.data.id }, agent.token);
  t.is(foreign.status, 422, "another account's customer is unknown here");

  const send = async (key: string) => {
    const r = await fetch(`${stack.baseUrl}/api/twilio/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: agent.token, 'idempotency-key': key },
      // Spaces are allowed around the E.164 digits.
      body: JSON.stringify({ to: `${phone.slice(0, 2)} ${phone.slice(2)}`, body: 'Your table is ready' }),
    });
    return { status: r.status, body: (await r.json()) as { data: Record<string, unknown> } };
  };
  const [a, b] = await Promise.all([send('text-1'), send('text-1')]);
  t.is(a.status, 200, JSON.stringify(a.body));
  t.deepEqual(b.body, a.body, 'the same key answers the first send');
  t.is(a.body.data.to, phone);
  t.is(a.body.data.from, number);
  const sent = twilio.messages.filter((m) => m.to === phone);
  t.is(sent.length, 1);
  t.is(a.body.data.sid, sent[0]!.sid);

  const conversationId = a.body.data.conversation_id as string;
  t.is(await conversationOf(stack, agent.accountId, phone), conversationId);
  const [recorded] = await messagesOf(stack, conversationId);
  t.deepEqual(
    [recorded!.body, recorded!.user_id, recorded!.metadata.twilio_message_sid],
    ['Your table is ready', agent.userId, sent[0]!.sid],
  );
  const customer = await http.get(`/api/customers/${a.body.data.customer_id as string}`, agent.token);
  t.is(customer.body.data.phone, phone);

  const answer = signedSms(twilio, number, phone, 'On my way');
  t.is((await postTwilioForm(stack, '/api/twilio/webhook', answer.params, answer.signature)).status, 200);
  t.deepEqual(
    (await messagesOf(stack, conversationId)).map((m) => m.body),
    ['Your table is ready', 'On my way'],
  );
  const reply = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'See you' } }, agent.token);
  t.is((await deliveryOf(stack, reply.body.data.id as string))?.kind, 'sms');
  t.deepEqual(
    twilio.messages.filter((m) => m.to === phone).map((m) => m.body),
    ['Your table is ready', 'See you'],
    'the recorded text is not sent again by the reply pipeline',
  );
});
