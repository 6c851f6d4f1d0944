/**
 * @module bench/gen/tracker
 * Bookkeeping of every chat message the generator sends through the real
 * stack: intended send time, the `phx_reply` (stored message with `seq`), and
 * which agent consoles received its `shout`. Latency is always measured from
 * the intended send time. Also the agent console model (gap detection, resume
 * by `seq` on rejoin) and the correctness checks of the chat scenarios.
 */
import type pg from 'pg';
import { MAX_RESUME_CONVERSATIONS } from '../../gateway/protocol/index.js';
import { Latency } from '../hist.js';
import { randomBody } from '../pacer.js';
import type { Payload, PhxSocket, Reply } from '../phx.js';

export interface Conv {
  id: string;
  customerId: string;
  accountId: string;
  /** seq → message id of every acknowledged message. */
  acked: Map<number, string>;
  /** seq → performance.now() of its phx_reply. */
  ackedAt: Map<number, number>;
  maxAcked: number;
}

export function newConv(id: string, customerId: string, accountId: string): Conv {
  return { id, customerId, accountId, acked: new Map(), ackedAt: new Map(), maxAcked: 0 };
}

export interface SentMsg {
  cmid: string;
  conv: Conv;
  label: string;
  intended: number;
  status: 'pending' | 'acked' | 'failed';
  attempts: number;
  seq?: number;
  msgId?: string;
  ackAt?: number;
  /** First receipt at the first agent console (for achieved throughput). */
  firstAgentAt?: number;
  agentsGot: number;
  lastError?: string;
}

/** Per-label latency histograms and counters. */
export class LabelStats {
  readonly ack = new Latency();
  readonly e2e = new Latency();
  sent = 0;
  acked = 0;
  errors = 0;
  /** Error replies carrying `retry_after` (a refusal the client can act on), and how fast they came. */
  refusals = 0;
  readonly refusal = new Latency();
  readonly errorSamples: string[] = [];
  delivered = 0;
  firstIntended = Infinity;
  lastIntended = 0;
  lastDeliveryAt = 0;
  lastAckAt = 0;
}

/** How long after a rejoin's reply its catch-up pushes are counted as resume duplicates. */
const REJOIN_CATCH_UP_MS = 5000;

/** An agent console socket on `notification:<account>`: receives every shout of its account. */
export class AgentConsole {
  /** conversation id → seq → message id (first receipt). */
  readonly got = new Map<string, Map<number, string>>();
  rawDuplicates = 0;
  resumeDuplicates = 0;
  outOfOrder = 0;
  /** Same seq, different message id: real corruption. */
  conflicts = 0;
  repairing = 0;
  resumes = 0;
  private readonly maxSeen = new Map<string, number>();
  /** conversation id → when this console last received one of its messages. */
  private readonly lastReceipt = new Map<string, number>();

  constructor(
    public sock: PhxSocket,
    readonly accountId: string,
    readonly index: number,
  ) {}

  get topic(): string {
    return `notification:${this.accountId}`;
  }

  /** Record a shout; returns true when it is new for this console. */
  note(convId: string, seq: number, msgId: string): boolean {
    let m = this.got.get(convId);
    if (!m) this.got.set(convId, (m = new Map<number, string>()));
    const prev = m.get(seq);
    if (prev !== undefined) {
      if (prev !== msgId) this.conflicts++;
      else if (this.repairing > 0) this.resumeDuplicates++;
      else this.rawDuplicates++;
      return false;
    }
    const max = this.maxSeen.get(convId) ?? 0;
    if (this.repairing === 0 && seq < max) this.outOfOrder++;
    if (seq > max) this.maxSeen.set(convId, seq);
    m.set(seq, msgId);
    this.lastReceipt.set(convId, performance.now());
    return true;
  }

  /**
   * The join payload of a rejoin after `phx_error`, as the console builds it: the conversations it
   * has open (here the most recently active ones, at most the server's resume limit) with the seq
   * up to which it holds every message, so the gateway pushes what was missed.
   */
  resumePayload(): { conversations: Record<string, number> } {
    const recent = [...this.lastReceipt.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_RESUME_CONVERSATIONS);
    return { conversations: Object.fromEntries(recent.map(([id]) => [id, this.contiguous(id)])) };
  }

  /** Highest seq up to which this console holds every message of the conversation. */
  contiguous(convId: string): number {
    const m = this.got.get(convId);
    let s = 0;
    while (m?.has(s + 1)) s++;
    return s;
  }
}

export interface SendOptions {
  label: string;
  intended: number;
  cmid: string;
  /** Retry an error reply or timeout after this long with the same client_message_id (S9); default: no retry. */
  retryAfterMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
}

export class Tracker {
  readonly byCmid = new Map<string, SentMsg>();
  readonly labels = new Map<string, LabelStats>();
  readonly agents: AgentConsole[] = [];
  /** Extra per-receipt hook (S9 per-second buckets). */
  onDelivered: ((msg: SentMsg, at: number, agent: AgentConsole) => void) | undefined;
  /** Messages delivered to a first console so far, every label (the orchestrator's CPU per message). */
  deliveredTotal = 0;
  private bodySeed = 1;

  stats(label: string): LabelStats {
    let s = this.labels.get(label);
    if (!s) this.labels.set(label, (s = new LabelStats()));
    return s;
  }

  /** Wire an agent console socket: every `shout` on its notification topic is checked and timed. */
  attachAgent(agent: AgentConsole): void {
    if (!this.agents.includes(agent)) this.agents.push(agent);
    agent.sock.setRejoinPayload(agent.topic, () => agent.resumePayload());
    // Copies the catch-up pushes of messages held beyond a gap count as resume duplicates, not raw
    // ones: from the rejoin until a while after its reply (the catch-up follows the reply).
    agent.sock.onRejoin = (topic, phase) => {
      if (topic !== agent.topic) return;
      if (phase === 'sent') agent.repairing++;
      else setTimeout(() => agent.repairing--, REJOIN_CATCH_UP_MS).unref();
    };
    agent.sock.onEvent = (topic, event, payload, at) => {
      if (event !== 'shout' || topic !== agent.topic) return;
      this.onAgentShout(agent, payload, at);
    };
  }

  private onAgentShout(agent: AgentConsole, p: Payload, at: number): void {
    const convId = p.conversation_id as string | undefined;
    const seq = p.seq as number | undefined;
    const id = p.id as string | undefined;
    if (!convId || typeof seq !== 'number' || !id) return;
    if (!agent.note(convId, seq, id)) return;
    const cmid = p.client_message_id as string | null | undefined;
    const msg = cmid ? this.byCmid.get(cmid) : undefined;
    if (!msg) return;
    msg.agentsGot++;
    const s = this.stats(msg.label);
    s.e2e.recordMs(at - msg.intended);
    if (msg.firstAgentAt === undefined) {
      msg.firstAgentAt = at;
      s.delivered++;
      this.deliveredTotal++;
      s.lastDeliveryAt = Math.max(s.lastDeliveryAt, at);
    }
    this.onDelivered?.(msg, at, agent);
  }

  /** Push one `shout` from a customer socket; the reply fills in seq and the ack latency. */
  send(sock: PhxSocket, conv: Conv, opts: SendOptions): SentMsg {
    const msg: SentMsg = {
      cmid: opts.cmid,
      conv,
      label: opts.label,
      intended: opts.intended,
      status: 'pending',
      attempts: 0,
      agentsGot: 0,
    };
    this.byCmid.set(opts.cmid, msg);
    const s = this.stats(opts.label);
    s.sent++;
    s.firstIntended = Math.min(s.firstIntended, opts.intended);
    s.lastIntended = Math.max(s.lastIntended, opts.intended);
    const body = randomBody(this.bodySeed++);
    const attempt = (): void => {
      msg.attempts++;
      const payload = { body, client_message_id: opts.cmid, sent_at: new Date().toISOString() };
      sock.push(
        `conversation:${conv.id}`,
        'shout',
        payload,
        (r: Reply) => this.onReply(sock, msg, r, opts, attempt),
        opts.timeoutMs ?? 60_000,
      );
    };
    attempt();
    return msg;
  }

  private onReply(sock: PhxSocket, msg: SentMsg, r: Reply, opts: SendOptions, again: () => void): void {
    const s = this.stats(msg.label);
    if (r.status === 'ok') {
      const seq = r.response.seq as number;
      const id = r.response.id as string;
      msg.status = 'acked';
      msg.seq = seq;
      msg.msgId = id;
      msg.ackAt = r.at;
      s.acked++;
      s.lastAckAt = Math.max(s.lastAckAt, r.at);
      s.ack.recordMs(r.at - msg.intended);
      const prev = msg.conv.acked.get(seq);
      if (prev !== undefined && prev !== id) s.errorSamples.push(`seq ${seq} of ${msg.conv.id} acked for two messages`);
      msg.conv.acked.set(seq, id);
      if (!msg.conv.ackedAt.has(seq)) msg.conv.ackedAt.set(seq, r.at);
      msg.conv.maxAcked = Math.max(msg.conv.maxAcked, seq);
      return;
    }
    s.errors++;
    if (typeof r.response.retry_after === 'number') {
      s.refusals++;
      s.refusal.recordMs(r.at - msg.intended);
    }
    const why = `${r.status}${Object.keys(r.response).length ? ` ${JSON.stringify(r.response).slice(0, 200)}` : ''}`;
    msg.lastError = why;
    if (s.errorSamples.length < 5) s.errorSamples.push(why);
    if (opts.retryAfterMs !== undefined && msg.attempts < (opts.maxAttempts ?? 8) && !sock.isClosed) {
      setTimeout(again, opts.retryAfterMs).unref();
      return;
    }
    msg.status = 'failed';
  }

  messages(labels: (label: string) => boolean): SentMsg[] {
    return [...this.byCmid.values()].filter((m) => labels(m.label));
  }

  /** Wait until every message of `labels` is acked (or failed) and delivered to every agent console, or `timeoutMs`. */
  async drain(labels: (label: string) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    const msgs = this.messages(labels);
    const agentCount = (m: SentMsg): number => this.agents.filter((a) => a.accountId === m.conv.accountId).length;
    for (;;) {
      const pending = msgs.filter((m) => m.status === 'pending' || (m.status === 'acked' && m.agentsGot < agentCount(m)));
      if (pending.length === 0) return true;
      if (performance.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Rejoin agent consoles that miss acknowledged messages, resuming by `seq`
   * (`{conversations: {<id>: <last contiguous seq>}}`, at most 100 per join),
   * as a console does after a gap. Returns how many messages were still missing before.
   */
  async repair(convs: Conv[], opts: { waitMs?: number; minAgeMs?: number } = {}): Promise<number> {
    const waitMs = opts.waitMs ?? 8000;
    const oldBefore = performance.now() - (opts.minAgeMs ?? 0);
    let missingBefore = 0;
    for (const agent of this.agents) {
      const need = new Map<string, number>();
      for (const conv of convs) {
        if (conv.accountId !== agent.accountId) continue;
        const m = agent.got.get(conv.id);
        let missing = 0;
        for (const [seq, at] of conv.ackedAt) if (at <= oldBefore && !m?.has(seq)) missing++;
        if (missing > 0) {
          missingBefore += missing;
          need.set(conv.id, agent.contiguous(conv.id));
        }
      }
      const entries = [...need.entries()];
      for (let i = 0; i < entries.length; i += 100) {
        const chunk = entries.slice(i, i + 100);
        agent.repairing++;
        agent.resumes++;
        try {
          const reply = await agent.sock.join(agent.topic, { conversations: Object.fromEntries(chunk) });
          if (reply.status !== 'ok') continue;
          const deadline = performance.now() + waitMs;
          while (performance.now() < deadline) {
            const done = chunk.every(([id]) => {
              const conv = convs.find((c) => c.id === id)!;
              const m = agent.got.get(id);
              return [...conv.acked.keys()].every((s) => m?.has(s));
            });
            if (done) break;
            await new Promise((r) => setTimeout(r, 50));
          }
        } finally {
          agent.repairing--;
        }
      }
    }
    return missingBefore;
  }
}

export interface AgentCounters {
  rawDuplicates: number;
  resumeDuplicates: number;
  conflicts: number;
  outOfOrder: number;
  resumes: number;
}

/** Totals over every agent console (snapshot at a scenario's start, to report only its own). */
export function agentCounters(tracker: Tracker): AgentCounters {
  const c: AgentCounters = { rawDuplicates: 0, resumeDuplicates: 0, conflicts: 0, outOfOrder: 0, resumes: 0 };
  for (const a of tracker.agents) {
    c.rawDuplicates += a.rawDuplicates;
    c.resumeDuplicates += a.resumeDuplicates;
    c.conflicts += a.conflicts;
    c.outOfOrder += a.outOfOrder;
    c.resumes += a.resumes;
  }
  return c;
}

export interface DeliveryReport {
  acked: number;
  failed: number;
  pending: number;
  /** (message, agent) pairs never received. */
  missingAtAgents: number;
  rawDuplicates: number;
  resumeDuplicates: number;
  conflicts: number;
  outOfOrder: number;
  resumes: number;
  samples: string[];
}

/** Delivery of the messages of `labels` to every agent console of their account. */
export function deliveryReport(tracker: Tracker, labels: (label: string) => boolean, since?: AgentCounters): DeliveryReport {
  const msgs = tracker.messages(labels);
  const r: DeliveryReport = {
    acked: 0,
    failed: 0,
    pending: 0,
    missingAtAgents: 0,
    rawDuplicates: 0,
    resumeDuplicates: 0,
    conflicts: 0,
    outOfOrder: 0,
    resumes: 0,
    samples: [],
  };
  for (const m of msgs) {
    if (m.status === 'acked') r.acked++;
    else if (m.status === 'failed') r.failed++;
    else r.pending++;
    if (m.status !== 'acked') {
      if (r.samples.length < 5) r.samples.push(`${m.cmid}: ${m.status} ${m.lastError ?? ''}`);
      continue;
    }
    for (const a of tracker.agents) {
      if (a.accountId !== m.conv.accountId) continue;
      if (a.got.get(m.conv.id)?.get(m.seq!) !== m.msgId) {
        r.missingAtAgents++;
        if (r.samples.length < 5) r.samples.push(`agent ${a.index} misses ${m.conv.id}#${m.seq}`);
      }
    }
  }
  const now = agentCounters(tracker);
  r.rawDuplicates = now.rawDuplicates - (since?.rawDuplicates ?? 0);
  r.resumeDuplicates = now.resumeDuplicates - (since?.resumeDuplicates ?? 0);
  r.conflicts = now.conflicts - (since?.conflicts ?? 0);
  r.outOfOrder = now.outOfOrder - (since?.outOfOrder ?? 0);
  r.resumes = now.resumes - (since?.resumes ?? 0);
  return r;
}

export interface StorageReport {
  conversations: number;
  /** Conversations whose stored seqs are not exactly 1..max. */
  gappy: number;
  /** Acknowledged messages not stored with that id, seq and client id. */
  notStored: number;
  /** client_message_id stored more than once (the unique index forbids it; checked anyway). */
  storedTwice: number;
  samples: string[];
}

/** Check PostgreSQL: gap-free seqs per conversation, every acked message stored exactly once as acked. */
export async function storageReport(db: pg.Pool, convs: Conv[], msgs: SentMsg[]): Promise<StorageReport> {
  const ids = convs.map((c) => c.id);
  const r: StorageReport = { conversations: ids.length, gappy: 0, notStored: 0, storedTwice: 0, samples: [] };
  if (ids.length === 0) return r;
  const agg = await db.query<{ conversation_id: string; n: string; mx: number; d: string }>(
    'SELECT conversation_id, count(*) AS n, max(seq) AS mx, count(DISTINCT seq) AS d FROM messages WHERE conversation_id = ANY($1::uuid[]) GROUP BY 1',
    [ids],
  );
  for (const row of agg.rows) {
    if (Number(row.n) !== row.mx || Number(row.d) !== row.mx) {
      r.gappy++;
      if (r.samples.length < 5) r.samples.push(`${row.conversation_id}: ${row.n} rows, max seq ${row.mx}, ${row.d} distinct`);
    }
  }
  const acked = msgs.filter((m) => m.status === 'acked');
  for (let i = 0; i < acked.length; i += 5000) {
    const chunk = acked.slice(i, i + 5000);
    const res = await db.query<{ client_message_id: string; id: string; seq: number; conversation_id: string }>(
      'SELECT client_message_id, id, seq, conversation_id FROM messages WHERE client_message_id = ANY($1::text[])',
      [chunk.map((m) => m.cmid)],
    );
    const seen = new Map<string, number>();
    const byCmid = new Map<string, { id: string; seq: number }>();
    for (const row of res.rows) {
      seen.set(row.client_message_id, (seen.get(row.client_message_id) ?? 0) + 1);
      byCmid.set(row.client_message_id, row);
    }
    for (const m of chunk) {
      const row = byCmid.get(m.cmid);
      if ((seen.get(m.cmid) ?? 0) > 1) r.storedTwice++;
      if (!row || row.id !== m.msgId || row.seq !== m.seq) {
        r.notStored++;
        if (r.samples.length < 5) r.samples.push(`${m.cmid} acked as #${m.seq} but stored ${row ? `#${row.seq}` : 'nowhere'}`);
      }
    }
  }
  return r;
}
