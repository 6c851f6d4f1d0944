/**
 * The widget's resend after a refusal it may retry (widget/src/chat/session.ts, `resendDelayMs`
 * in widget/src/chat/outbox.ts): when the server answers a `shout` with an error reply carrying
 * `retry_after` (busy: too much in flight; Temporal unreachable), the same message (same
 * `client_message_id`) is pushed again no sooner than that, with jitter, instead of at once or
 * after a shorter backoff. The real `ChatSession` talks to a socket server
 * (gateway/socket/server.ts) whose conversation channel refuses the first shout; the session's
 * wait is injected, so the test sees what it waits for and decides when it is over (no sleeps).
 */
import { unitModuleTest } from '../../helpers/modules.js';
import WebSocket from 'ws';
import type { JsonObject } from '../../../gateway/socket/types.js';
import type { Api } from '../../../widget/src/chat/api.js';
import { MAX_RESEND_WAIT_MS, MemoryStore, resendDelayMs } from '../../../widget/src/chat/outbox.js';
import { DEFAULTS, type ChatConfig } from '../../../widget/src/chat/params.js';
import { ChatSession, type ChatView } from '../../../widget/src/chat/session.js';
import { saveVisitor, EMPTY_VISITOR } from '../../../widget/src/chat/visitor.js';
import { Recorder, startServer } from '../../helpers/phoenix-client.js';

const test = unitModuleTest(import.meta.url);

// The page runs in a browser; in Node the phoenix client needs a WebSocket.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const ACCOUNT = 'acct-resend';
const CONVERSATION = '7d1c0f4e-3b2a-4c5d-8e9f-0a1b2c3d4e5f';

test('resendDelayMs: at least the backoff or what the server asked, whichever is longer, plus up to half of it as jitter', (t) => {
  t.is(
    resendDelayMs(1000, undefined, () => 0),
    1000,
  );
  t.is(
    resendDelayMs(1000, 5, () => 0),
    5000,
    'retry_after 5 outweighs a 1 s backoff',
  );
  t.is(
    resendDelayMs(1000, 5, () => 0.999_999),
    7500,
  );
  t.is(
    resendDelayMs(8000, 1, () => 0),
    8000,
    'a longer backoff stays',
  );
  t.is(
    resendDelayMs(1000, 'soon', () => 0),
    1000,
    'garbage is ignored',
  );
  t.is(
    resendDelayMs(1000, -3, () => 0),
    1000,
  );
  t.is(
    resendDelayMs(1000, 3600, () => 0.5),
    MAX_RESEND_WAIT_MS,
    'bounded',
  );
  const spread = new Set(Array.from({ length: 50 }, () => resendDelayMs(1000, 2)));
  t.true(spread.size > 10, 'visitors refused together do not come back together');
  for (const ms of spread) t.true(ms >= 2000 && ms <= 3000, String(ms));
});

test('a shout refused with retry_after is resent under the same client_message_id only after waiting at least retry_after', async (t) => {
  const shouts = new Recorder<{ clientMessageId: unknown; waitsBefore: number }>();
  const waits = new Recorder<{ ms: number; release: () => void }>();
  const server = await startServer<{ visitor: true }>({
    authenticate: () => Promise.resolve({ visitor: true }),
    channels: [
      {
        name: 'conversation',
        match: (topic) => topic.startsWith('conversation:'),
        join: () => Promise.resolve({ ok: true, response: { messages: [] } }),
        handleIn: ({ event, payload }) => {
          if (event !== 'shout') return Promise.resolve({ reply: 'ok' });
          shouts.push({ clientMessageId: payload.client_message_id, waitsBefore: waits.items.length });
          if (shouts.items.length === 1) {
            return Promise.resolve({
              reply: 'error',
              response: { reason: 'The service is busy. Please try again in a moment.', retry_after: 3 },
            });
          }
          const message: JsonObject = {
            id: 'm-1',
            seq: 1,
            body: payload.body ?? null,
            client_message_id: payload.client_message_id ?? null,
            conversation_id: CONVERSATION,
            customer_id: 'cust-1',
            sent_at: payload.sent_at ?? null,
            created_at: '2026-12-06T16:00:00.000Z',
            private: false,
          };
          return Promise.resolve({ reply: 'ok', response: message });
        },
      },
    ],
  });
  const store = new MemoryStore();
  saveVisitor(store, ACCOUNT, { ...EMPTY_VISITOR, customerId: 'cust-1', conversationId: CONVERSATION, messages: [] });
  const api = {
    customerExists: () => Promise.resolve(true),
    customerConversations: () => Promise.resolve([{ id: CONVERSATION, messages: [] }]),
  } as unknown as Api;
  const rendered = new Recorder<string>();
  const view: ChatView = {
    render: (messages) => rendered.push(messages.map((m) => `${m.body}:${m.status}`).join(',')),
    setTyping: () => undefined,
    setAvailability: () => undefined,
    setConnection: () => undefined,
    setEmailGate: () => undefined,
    showNotice: () => undefined,
  };
  const config: ChatConfig = {
    ...DEFAULTS,
    accountId: ACCOUNT,
    inboxId: null,
    showAgentAvailability: false,
    awayMessage: '',
    requireEmailUpfront: false,
    isBrandingHidden: false,
    companyName: '',
    metadata: {},
    isOutsideWorkingHours: false,
  };
  const session = new ChatSession({
    api,
    store,
    config,
    socketUrl: server.endpoint,
    view,
    postToHost: () => undefined,
    cacheTranscript: false,
    wait: (ms) => new Promise<void>((release) => waits.push({ ms, release })),
  });
  try {
    await session.start();
    session.send('hello while busy');
    const first = await shouts.waitFor(() => true, 'the first shout');
    t.is(first.waitsBefore, 0);

    // Refused with retry_after 3: the session waits, at least 3 s (jitter on top), before anything else.
    const next = await Promise.race([
      waits.waitFor(() => true, 'the wait before the resend').then((wait) => ({ wait })),
      shouts.waitFor((s) => s !== first, 'a resend').then((resend) => ({ resend })),
    ]);
    if (!('wait' in next)) return t.fail('resent without waiting for retry_after');
    const waited = next.wait;
    t.true(waited.ms >= 3000, `waited ${waited.ms} ms, retry_after was 3 s`);
    t.true(waited.ms <= 4500, `jitter stays within half of it (${waited.ms} ms)`);
    t.is(shouts.items.length, 1, 'nothing is resent while the wait runs');
    t.is(session.outboxSize, 1, 'the message stays queued');

    waited.release();
    const second = await shouts.waitFor((s) => s !== first, 'the resend');
    t.is(second.clientMessageId, first.clientMessageId, 'the resend carries the same client_message_id');
    t.is(second.waitsBefore, 1, 'resent only after the wait was over');
    await rendered.waitFor((r) => r === 'hello while busy:sent', 'the message shown as sent');
    t.is(session.outboxSize, 0);
  } finally {
    session.shutdown();
    server.close();
  }
});
