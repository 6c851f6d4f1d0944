/**
 * A reconnect storm (bench S7): many widget sockets rejoin `conversation:<id>`
 * with `last_seq` at the same instant while messages keep coming. The joins
 * share their reads (conversation + widget policy, catch-up pages, presence),
 * and still every socket gets each message after its last_seq exactly once,
 * in order; the agent's view of presence, rebuilt from the (merged)
 * presence_diffs it received, holds every customer socket; and a widget
 * policy change is enforced from the very next join, even inside a burst.
 */
import anyTest from 'ava';
import type { Socket } from 'phoenix';
import { connectSocket, join, type Api, type JoinedChannel, type Pushed } from '../helpers/api.js';
import { withStack, type Stack } from '../helpers/stack.js';
import { connectWithOrigin, createScene, refusal, setAccount, shoutSeqs, type Scene } from './realtime-fixtures.js';

const test = withStack(anyTest);

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

interface Conv {
  id: string;
  customerId: string;
}

async function moreConversations(http: Api, scene: Scene, n: number): Promise<Conv[]> {
  const out: Conv[] = [{ id: scene.conversationId, customerId: scene.customerId }];
  for (let i = 1; i < n; i++) {
    const customer = await http.post('/api/customers', { customer: { account_id: scene.agent.accountId } });
    const conversation = await http.post('/api/conversations', {
      conversation: { account_id: scene.agent.accountId, customer_id: customer.body.data.id },
    });
    out.push({ id: conversation.body.data.id as string, customerId: customer.body.data.id as string });
  }
  return out;
}

function post(stack: Stack, scene: Scene, conversationId: string, body: string) {
  return stack.conversations.post(conversationId, {
    accountId: scene.agent.accountId,
    author: { kind: 'agent', userId: scene.agent.userId },
    body,
  });
}

/** Presence as a Phoenix client holds it after `presence_state` and then each `presence_diff`, in arrival order. */
function presenceView(events: Pushed[]): Map<string, Set<string>> {
  const view = new Map<string, Set<string>>();
  for (const { event, payload } of events) {
    if (event === 'presence_state') {
      view.clear();
      for (const [key, { metas }] of Object.entries(payload as Record<string, { metas: { phx_ref: string }[] }>))
        view.set(key, new Set(metas.map((m) => m.phx_ref)));
    } else if (event === 'presence_diff') {
      for (const [key, { metas }] of Object.entries(payload.joins as Record<string, { metas: { phx_ref: string }[] }>)) {
        const refs = view.get(key) ?? new Set<string>();
        for (const m of metas) refs.add(m.phx_ref);
        view.set(key, refs);
      }
      for (const [key, { metas }] of Object.entries(payload.leaves as Record<string, { metas: { phx_ref: string }[] }>)) {
        for (const m of metas) view.get(key)?.delete(m.phx_ref);
        if (view.get(key)?.size === 0) view.delete(key);
      }
    }
  }
  return view;
}

test('sockets rejoining at once with last_seq, while messages keep coming, each get every later message once and in order', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http, 'Storm Co');
  const convs = await moreConversations(http, scene, 3);
  const before = 5;
  const during = 3;
  for (const conv of convs) for (let i = 1; i <= before; i++) await post(stack, scene, conv.id, `before ${i}`);

  const agentSocket = connectSocket(stack.wsUrl, { token: scene.agent.token });
  const perConv = 12;
  const sockets: Socket[] = [];
  try {
    const inbox = await join(agentSocket, `notification:${scene.agent.accountId}`);
    const storm = convs.flatMap((conv) => range(0, perConv - 1).map((i) => ({ conv, lastSeq: i % (before + 1) })));
    // Every join sent in the same instant, and new messages posted meanwhile.
    const joining: Promise<JoinedChannel>[] = storm.map(({ conv, lastSeq }) => {
      const socket = connectSocket(stack.wsUrl);
      sockets.push(socket);
      return join(socket, `conversation:${conv.id}`, { customer_id: conv.customerId, last_seq: lastSeq });
    });
    const posting = Promise.all(
      convs.map(async (conv) => {
        for (let i = 1; i <= during; i++) await post(stack, scene, conv.id, `during ${i}`);
      }),
    );
    const chats = await Promise.all(joining);
    await posting;
    const last = before + during;
    for (const [n, chat] of chats.entries()) {
      await chat.events.waitFor((e) => e.event === 'shout' && e.payload.seq === last, `socket ${n} has seq ${last}`);
      t.deepEqual(
        shoutSeqs(chat),
        range(storm[n]!.lastSeq + 1, last),
        `socket ${n} (last_seq ${storm[n]!.lastSeq}): each message once, in order`,
      );
      t.true(
        chat.events.filter((e) => e.event === 'shout').every((e) => e.payload.conversation_id === storm[n]!.conv.id),
        `socket ${n}: only its own conversation`,
      );
    }
    // The agent's presence, from the merged diffs: every customer socket is there, once.
    const customerKeys = (view: Map<string, Set<string>>) =>
      Object.fromEntries([...view].filter(([key]) => key.startsWith('customer:')).map(([key, refs]) => [key, refs.size]));
    const expected = Object.fromEntries(convs.map((c) => [`customer:${c.customerId}`, perConv]));
    const agentSeesAll = () => {
      const seen = customerKeys(presenceView(inbox.events.items));
      return Object.keys(seen).length === convs.length && Object.entries(expected).every(([key, n]) => seen[key] === n);
    };
    // Diffs reach the agent after the joins: wait for them (on a timeout the comparison below shows the difference).
    await inbox.events.waitFor(agentSeesAll, 'every customer socket in the agent view', 10_000).catch(() => undefined);
    t.deepEqual(customerKeys(presenceView(inbox.events.items)), expected, 'agent view rebuilt from presence_diffs');
    // And what a fresh join lists agrees with it.
    const fresh = connectSocket(stack.wsUrl, { token: scene.agent.token });
    sockets.push(fresh);
    const again = await join(fresh, `notification:${scene.agent.accountId}`);
    const state = await again.events.waitFor((e) => e.event === 'presence_state', 'fresh presence_state');
    t.deepEqual(customerKeys(presenceView([state])), expected);
  } finally {
    agentSocket.disconnect();
    for (const socket of sockets) socket.disconnect();
  }
});

test('a widget policy change is enforced from the next join on, also for a burst of joins right after it', async (t) => {
  const { stack, api: http } = t.context;
  const scene = await createScene(http, 'Policy Co');
  const SHOP = 'https://shop.example';
  const EVIL = 'https://evil.example';
  const sockets: Socket[] = [];
  const joinFrom = (origin: string) => {
    const socket = connectWithOrigin(stack.wsUrl, origin);
    sockets.push(socket);
    return refusal(join(socket, `conversation:${scene.conversationId}`, { customer_id: scene.customerId, last_seq: 0 }));
  };
  const burst = (origin: string, n = 10) => Promise.all(range(1, n).map(() => joinFrom(origin)));
  try {
    t.deepEqual(
      await burst(EVIL),
      range(1, 10).map(() => undefined),
      'no allow-list: any origin joins',
    );
    await setAccount(stack, scene.agent.accountId, { allowed_origins: [SHOP] });
    t.deepEqual(
      await burst(EVIL),
      range(1, 10).map(() => 'unauthorized'),
      'right after the change: refused',
    );
    t.deepEqual(
      await burst(SHOP),
      range(1, 10).map(() => undefined),
      'the listed origin joins',
    );
    await setAccount(stack, scene.agent.accountId, { require_customer_token: true });
    t.is(await joinFrom(SHOP), 'unauthorized', 'customer token now required: customer_id alone is refused');
    await setAccount(stack, scene.agent.accountId, { allowed_origins: [], require_customer_token: false });
    t.deepEqual(await burst(EVIL, 3), [undefined, undefined, undefined], 'list cleared: any origin joins again');
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
});
