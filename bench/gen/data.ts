/**
 * @module bench/gen/data
 * The data set, created through the public API exactly as widgets and the
 * console create it: accounts (`POST /api/registration`), customers
 * (`POST /api/customers`), conversations (`POST /api/conversations`, which
 * goes through update-with-start), customer sockets joined to
 * `conversation:<id>` with `{customer_id}`, and agent consoles joined to
 * `notification:<account_id>` with `?token=`.
 */
import { PhxSocket } from '../phx.js';
import type { GenContext } from './context.js';
import { AgentConsole, newConv, Tracker, type Conv } from './tracker.js';

export interface Account {
  id: string;
  token: string;
  userId: number;
}

export interface Data {
  /** The account of S3, S5, S6, S7, S9 and S1/S2's topics. */
  main: Account;
  /** S4 counts its workflows and rows by account. */
  s4: Account;
  /** S8's busy account (its notification topic gets the fan-out traffic). */
  s8: Account;
  /** The main account's conversations (S3 and the S1/S2 topics). */
  convs: Conv[];
  /** One joined customer socket per main conversation, on gateway A. */
  customer: Map<string, PhxSocket>;
  hot: { conv: Conv; socks: PhxSocket[] };
  long: { conv: Conv; sock: PhxSocket };
  s4Customers: string[];
  s8Convs: Conv[];
  /** Extra conversations for S1 beyond the main ones (full mode: 10 sockets per conversation). */
  idleConvs: Conv[];
  tracker: Tracker;
  setupMs: number;
}

export const HEARTBEAT_MS = 30_000;

interface Json {
  status: number;
  body: { data?: Record<string, unknown>; error?: unknown };
}

export async function post(base: string, path: string, body: unknown, token?: string): Promise<Json> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Json['body'] = {};
  try {
    parsed = JSON.parse(text) as Json['body'];
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

export async function register(base: string, company: string): Promise<Account> {
  const email = `bench-${company.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const res = await post(base, '/api/registration', {
    user: { email, password: 'correct horse battery staple', password_confirmation: 'correct horse battery staple', company_name: company },
  });
  if (res.status !== 200 || !res.body.data) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  const d = res.body.data;
  return { id: d.account_id as string, token: d.token as string, userId: d.user_id as number };
}

export async function createCustomer(base: string, accountId: string): Promise<string> {
  const res = await post(base, '/api/customers', { customer: { account_id: accountId } });
  if (res.status !== 201 || !res.body.data) throw new Error(`customer creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}

export async function createConversation(base: string, accountId: string, customerId: string): Promise<Json> {
  // A busy Temporal answers 503 with Retry-After (admission control); the widget waits and tries again, so does set-up.
  for (let attempt = 1; ; attempt++) {
    const res = await post(base, '/api/conversations', { conversation: { account_id: accountId, customer_id: customerId } });
    if (res.status !== 503 || attempt === 5) return res;
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
  }
}

/** Run `fn` over `items` with at most `concurrency` in flight. */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

export async function newConversations(base: string, account: Account, count: number): Promise<Conv[]> {
  return pool(
    Array.from({ length: count }, (_, i) => i),
    20,
    async () => {
      const customerId = await createCustomer(base, account.id);
      const res = await createConversation(base, account.id, customerId);
      if (res.status !== 201 || !res.body.data) throw new Error(`conversation creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return newConv(res.body.data.id as string, customerId, account.id);
    },
  );
}

/** Connect a customer socket and join its conversation; throws unless the join is `ok`. */
export async function joinCustomer(wsBase: string, conv: Conv, payload: Record<string, unknown> = {}): Promise<PhxSocket> {
  const sock = await PhxSocket.connect(PhxSocket.url(wsBase));
  const reply = await sock.join(`conversation:${conv.id}`, { customer_id: conv.customerId, ...payload });
  if (reply.status !== 'ok') {
    sock.close();
    throw new Error(`join conversation:${conv.id} → ${reply.status} ${JSON.stringify(reply.response)}`);
  }
  return sock;
}

export async function connectAgent(wsBase: string, account: Account, index: number): Promise<AgentConsole> {
  const sock = await PhxSocket.connect(PhxSocket.url(wsBase, { token: account.token }));
  const agent = new AgentConsole(sock, account.id, index);
  const reply = await sock.join(agent.topic, {});
  if (reply.status !== 'ok') throw new Error(`agent join ${agent.topic} → ${reply.status} ${JSON.stringify(reply.response)}`);
  return agent;
}

export function keepAlive(sock: PhxSocket): void {
  sock.startHeartbeats(HEARTBEAT_MS, Math.random() * HEARTBEAT_MS, () => undefined);
}

/**
 * `--rules=N`: N active automation rules on the account, as a busy account would have them; every
 * customer message is evaluated against all of them (text, regex, tag and customer conditions
 * that read the database), one sets the priority once (a state change, no message, so the
 * scenarios' delivery counts are unchanged), and one is a `customer_waiting` timer of an hour.
 */
export async function benchRules(base: string, account: Account, n: number): Promise<void> {
  const created = await post(base, '/api/tags', { tag: { name: 'bench-rules' } }, account.token);
  const tagId = created.body.data?.id;
  if (created.status !== 201 || typeof tagId !== 'string') throw new Error(`bench tag: ${created.status}`);
  const kinds = [
    { trigger: { type: 'message_created', author: 'customer' }, conditions: [{ type: 'text_contains', value: 'cancel my account' }] },
    {
      trigger: { type: 'message_created', author: 'customer' },
      conditions: [{ type: 'text_regex', pattern: '\\b(refund|chargeback)s?\\b' }],
    },
    { trigger: { type: 'message_created', author: 'any' }, conditions: [{ type: 'tag', tag_id: tagId }] },
    { trigger: { type: 'message_created', author: 'customer' }, conditions: [{ type: 'customer_field', field: 'email', op: 'present' }] },
    { trigger: { type: 'customer_waiting', after_seconds: 3600 }, conditions: [] },
  ];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length]!;
    const actions = i % kinds.length === 3 ? [{ type: 'add_tag', tag_id: tagId }] : [{ type: 'set_priority', priority: 'priority' }];
    const rule = await post(
      base,
      '/api/automation/rules',
      { rule: { name: `bench rule ${i + 1}`, position: i, ...kind, actions } },
      account.token,
    );
    if (rule.status !== 201) throw new Error(`bench rule ${i + 1}: ${rule.status} ${JSON.stringify(rule.body)}`);
  }
}

export async function setup(ctx: GenContext): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const base = ctx.cfg.gatewayA;
  const wsA = ctx.wsBase('A');
  const [main, s4, s8] = await Promise.all([register(base, 'BenchMain'), register(base, 'BenchBurst'), register(base, 'BenchBusy')]);
  if (ctx.cfg.rules) await benchRules(base, main, ctx.cfg.rules);
  const convCount = 200;
  const convs = await newConversations(base, main, convCount);
  const [hotConv] = await newConversations(base, main, 1);
  const [longConv] = await newConversations(base, main, 1);
  const s8Convs = await newConversations(base, s8, ctx.pick(10, 20));
  const s1Sockets = ctx.pick(2000, 10_000);
  const idle = Math.max(0, Math.ceil(s1Sockets / 10) - convCount);
  const idleConvs = idle > 0 ? await newConversations(base, main, idle) : [];
  const s4Customers = await pool(
    Array.from({ length: 100 }, (_, i) => i),
    20,
    () => createCustomer(base, s4.id),
  );
  ctx.log(`created ${convs.length + 2 + s8Convs.length + idleConvs.length} conversations in ${Math.round(performance.now() - t0)} ms`);

  const tracker = new Tracker();
  const customer = new Map<string, PhxSocket>();
  await pool(convs, 50, async (conv) => {
    const sock = await joinCustomer(wsA, conv);
    keepAlive(sock);
    customer.set(conv.id, sock);
  });
  const hotSocks = await pool(
    Array.from({ length: 20 }, (_, i) => i),
    20,
    () => joinCustomer(wsA, hotConv!),
  );
  hotSocks.forEach(keepAlive);
  const longSock = await joinCustomer(wsA, longConv!);
  keepAlive(longSock);
  for (const conv of s8Convs) {
    const sock = await joinCustomer(wsA, conv);
    keepAlive(sock);
    customer.set(conv.id, sock);
  }
  const agentCount = 10;
  for (let i = 0; i < agentCount; i++) {
    const agent = await connectAgent(wsA, main, i);
    keepAlive(agent.sock);
    tracker.attachAgent(agent);
  }
  const s8Agent = await connectAgent(wsA, s8, agentCount);
  keepAlive(s8Agent.sock);
  tracker.attachAgent(s8Agent);

  const setupMs = Math.round(performance.now() - t0);
  ctx.data = {
    main,
    s4,
    s8,
    convs,
    customer,
    hot: { conv: hotConv!, socks: hotSocks },
    long: { conv: longConv!, sock: longSock },
    s4Customers,
    s8Convs,
    idleConvs,
    tracker,
    setupMs,
  };
  return {
    setupMs,
    conversations: convs.length,
    idleConversations: idleConvs.length,
    agents: agentCount,
    hotId: hotConv!.id,
    longId: longConv!.id,
  };
}
