/**
 * @module workflows/conversation/rules
 * The automation engine inside the conversation actor (issue #21 item 3; docs/automation.md).
 * Events (conversation created, message created, status/assignee/priority/tag changed — a tag
 * changed through the REST API too, on TAG_EVENTS_PATCH runs — and the
 * `customer_waiting` / `agent_waiting` timers) are queued in the order they happen and handled
 * one at a time: the `automationMatch` local activity says which rules the event runs (its
 * answer, with the account's rules version, is recorded in history), then each rule's actions
 * run in order through the run's own `update`/`post` (state changes decided here, stored by
 * the write queue) or normal activities (tags, round-robin, email, webhook), and one rule-log
 * entry per rule is written. Macros are the same actions, queued by the `runMacro` update.
 *
 * Loop protection: an event caused by an action carries the chain of rules that led to it;
 * a rule never runs twice in one chain, and events deeper than MAX_DEPTH are not evaluated.
 * Only runs that took AUTOMATION_PATCH have an engine (patches.ts), so older histories replay.
 */
import { log, proxyActivities, uuid4 } from '@temporalio/workflow';
import type {
  Activities,
  AutomationEvent,
  AutomationMatchResult,
  AutomationTimer,
  ConversationRecord,
  TagChange,
} from '../../activities/index.js';
import type { AutomationAction, AutomationActionOutcome } from '../../gateway/protocol/wire/index.js';
import { errorMessage } from './failures.js';
import type {
  AutomationState,
  ConversationActor,
  PostMessageUpdateInput,
  PostMessageUpdateResult,
  RunMacroUpdateInput,
  RunMacroUpdateResult,
  UpdateConversationUpdateInput,
  UpdateConversationUpdateResult,
} from './messages.js';
import { store, writer } from './proxies.js';

/** Events caused by actions are evaluated up to this depth (0: a direct event). */
export const MAX_DEPTH = 3;
/** The actor of every change a rule or macro makes (and how the engine recognizes its own changes). */
export const AUTOMATION_ACTOR: ConversationActor = { kind: 'system', name: 'automation' };

/** Side effects that reach outside (webhook, email, tags, round-robin): a few attempts, then the rule log says it failed. */
const effects = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** What the engine reads and changes of the conversation run. */
export interface AutomationHost {
  record: ConversationRecord;
  /** Set when deadlines may have changed (the timer loop recomputes). */
  isDirty: boolean;
  isArchived(): boolean;
  post(input: PostMessageUpdateInput): Promise<PostMessageUpdateResult>;
  update(input: UpdateConversationUpdateInput): Promise<UpdateConversationUpdateResult>;
  /** A rule or macro changed a tag (TAG_EVENTS_PATCH: the SLA clocks apply their facts again). */
  tagChanged(): void;
}

/** Where an event came from: the rules (and macro) that caused it, for loop protection. */
interface Cause {
  depth: number;
  chain: string[];
}

type Job =
  | { kind: 'event'; event: AutomationEvent; cause: Cause }
  | { kind: 'macro'; input: RunMacroUpdateInput; resolve: (r: RunMacroUpdateResult) => void };

export function initialAutomationState(): AutomationState {
  return { version: null, timers: [], fired: [], lastCustomerAt: null, lastAgentAt: null };
}

/** The earliest due time of a time trigger that has not fired in its waiting period, or null. */
export function automationDeadline(state: AutomationState): number | null {
  let next: number | null = null;
  for (const t of state.timers) {
    const since = t.type === 'customer_waiting' ? state.lastCustomerAt : state.lastAgentAt;
    if (since === null || state.fired.includes(t.id)) continue;
    const due = since + t.afterMs;
    if (next === null || due < next) next = due;
  }
  return next;
}

/** The earlier of two deadlines (null: none). */
export function earlier(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export class Automation {
  state: AutomationState;
  private queue: Job[] = [];
  private running = false;
  /** The cause of the changes the actions now running make (null between actions). */
  private current: Cause | null = null;

  constructor(
    private readonly host: AutomationHost,
    carried: AutomationState | undefined,
  ) {
    this.state = carried ?? initialAutomationState();
  }

  isIdle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  /** The next time trigger due, for the timer loop. */
  nextDeadline(): number | null {
    return automationDeadline(this.state);
  }

  // ---- Hooks: called by the run where things happen ----

  conversationCreated(): void {
    this.emit({ type: 'conversation_created' }, false);
  }

  /** A message was stored; `before` is the conversation before it. */
  messageCreated(
    message: {
      customerId: string | null;
      userId: number | null;
      type: string;
      body: string | null;
      private: boolean;
      createdAt: number;
      metadata: Record<string, unknown>;
    },
    before: ConversationRecord,
  ): void {
    const author = message.customerId !== null ? 'customer' : message.userId !== null ? 'agent' : message.type === 'bot' ? 'bot' : 'system';
    const s = this.state;
    if (author === 'customer') {
      this.state = { ...s, lastCustomerAt: message.createdAt, lastAgentAt: null, fired: this.unfire(s, 'customer_waiting') };
      this.host.isDirty = true;
    } else if (author === 'agent' && !message.private) {
      this.state = { ...s, lastAgentAt: message.createdAt, lastCustomerAt: null, fired: this.unfire(s, 'agent_waiting') };
      this.host.isDirty = true;
    }
    const isOwn = message.metadata.automation !== undefined;
    this.emit({ type: 'message_created', message: { author, body: message.body, private: message.private } }, isOwn);
    this.changed(before, this.host.record, isOwn);
  }

  /** A tag was added or removed outside the workflow (the REST API, TAG_EVENTS_PATCH): a direct event. */
  tagChangedOutside(tag: TagChange): void {
    this.emit({ type: 'tag_changed', tag }, false);
  }

  /** The conversation changed (an update, a timer, the AI's handoff); `actor` when known. */
  updated(before: ConversationRecord, actor?: ConversationActor): void {
    const isOwn = actor !== undefined && actor.kind === 'system' && actor.name === 'automation';
    this.changed(before, this.host.record, isOwn);
  }

  /** Timers due at `now`: each time trigger fires once per waiting period. */
  fireDue(now: number): void {
    const s = this.state;
    const due = s.timers.filter((t) => {
      const since = t.type === 'customer_waiting' ? s.lastCustomerAt : s.lastAgentAt;
      return since !== null && !s.fired.includes(t.id) && since + t.afterMs <= now;
    });
    if (due.length === 0) return;
    this.state = { ...s, fired: [...s.fired, ...due.map((t) => t.id)] };
    for (const type of ['customer_waiting', 'agent_waiting'] as const) {
      const ids = due.filter((t) => t.type === type).map((t) => t.id);
      if (ids.length) this.enqueue({ kind: 'event', event: { type, ruleIds: ids }, cause: { depth: 0, chain: [] } });
    }
  }

  /** Run a macro's actions after every event queued before it; resolves with their outcomes. */
  runMacro(input: RunMacroUpdateInput): Promise<RunMacroUpdateResult> {
    return new Promise((resolve) => this.enqueue({ kind: 'macro', input, resolve }));
  }

  // ---- The queue ----

  private unfire(s: AutomationState, type: AutomationTimer['type']): string[] {
    const ids = new Set(s.timers.filter((t) => t.type === type).map((t) => t.id));
    return s.fired.filter((id) => !ids.has(id));
  }

  private changed(before: ConversationRecord, after: ConversationRecord, isOwn: boolean): void {
    if (after.status !== before.status) this.emit({ type: 'status_changed', status: after.status }, isOwn);
    if (after.assigneeId !== before.assigneeId) this.emit({ type: 'assignee_changed' }, isOwn);
    if (after.priority !== before.priority) this.emit({ type: 'priority_changed' }, isOwn);
  }

  /** Queue an event; one the engine's own actions caused carries their cause. */
  private emit(event: AutomationEvent, isOwn: boolean): void {
    const cause = isOwn && this.current ? this.current : { depth: -1, chain: [] };
    this.enqueue({ kind: 'event', event, cause: { depth: cause.depth + 1, chain: cause.chain } });
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    if (this.running) return;
    this.running = true;
    void this.drain()
      .catch((err: unknown) => log.error('automation stopped', { error: errorMessage(err) }))
      .finally(() => {
        this.running = false;
      });
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.host.isArchived()) {
      const job = this.queue.shift()!;
      if (job.kind === 'macro') {
        const { input } = job;
        const actions = await this.runActions(input.actions, { depth: 0, chain: [`macro:${input.macroId}`] }, 'macro', input.actor);
        this.writeLog({
          ruleId: null,
          macroId: input.macroId,
          name: input.name,
          event: 'macro',
          version: input.version,
          depth: 0,
          actions,
        });
        job.resolve({ actions });
        continue;
      }
      await this.handle(job.event, job.cause);
    }
    // Archived: what is left is dropped (a macro still waiting answers that nothing ran).
    for (const job of this.queue.splice(0)) if (job.kind === 'macro') job.resolve({ actions: [] });
  }

  private async handle(event: AutomationEvent, cause: Cause): Promise<void> {
    if (cause.depth >= MAX_DEPTH) {
      log.warn('automation chain too deep: event not evaluated', { event: event.type, chain: cause.chain });
      return;
    }
    const r = this.host.record;
    let result: AutomationMatchResult;
    try {
      result = await store.automationMatch({
        accountId: r.accountId,
        conversationId: r.id,
        customerId: r.customerId,
        knownVersion: this.state.version,
        event,
        conversation: { inboxId: r.inboxId, source: r.source, status: r.status, priority: r.priority, assigneeId: r.assigneeId },
        skipRuleIds: cause.chain,
      });
    } catch (err) {
      log.warn('automation rules could not be read', { event: event.type, error: errorMessage(err) });
      return;
    }
    if (result.timers !== null) {
      const ids = new Set(result.timers.map((t) => t.id));
      this.state = { ...this.state, version: result.version, timers: result.timers, fired: this.state.fired.filter((id) => ids.has(id)) };
      this.host.isDirty = true;
    }
    for (const rule of result.matched) {
      if (this.host.isArchived()) return;
      const next: Cause = { depth: cause.depth, chain: [...cause.chain, rule.ruleId] };
      const actions = await this.runActions(rule.actions, next, `rule:${rule.ruleId}`, AUTOMATION_ACTOR);
      this.writeLog({
        ruleId: rule.ruleId,
        macroId: null,
        name: rule.name,
        event: event.type,
        version: result.version,
        depth: cause.depth,
        actions,
      });
    }
  }

  private writeLog(e: {
    ruleId: string | null;
    macroId: string | null;
    name: string;
    event: string;
    version: number;
    depth: number;
    actions: AutomationActionOutcome[];
  }): void {
    const r = this.host.record;
    const entry = { id: uuid4(), accountId: r.accountId, conversationId: r.id, at: Date.now(), ...e };
    void writer.automationLog(entry).catch((err: unknown) => log.warn('rule log not written', { error: errorMessage(err) }));
  }

  private async runActions(
    actions: readonly AutomationAction[],
    cause: Cause,
    source: string,
    actor: ConversationActor,
  ): Promise<AutomationActionOutcome[]> {
    const outcomes: AutomationActionOutcome[] = [];
    for (const [index, action] of actions.entries()) {
      if (this.host.isArchived()) break;
      this.current = cause;
      try {
        const detail = await this.runAction(action, cause, `${source}:${uuid4()}:${index}`, actor);
        outcomes.push({ type: action.type, ok: true, detail });
      } catch (err) {
        outcomes.push({ type: action.type, ok: false, detail: errorMessage(err) });
      } finally {
        this.current = null;
      }
    }
    return outcomes;
  }

  /** One action; resolves with a detail for the log, throws when it failed. */
  private async runAction(action: AutomationAction, cause: Cause, key: string, actor: ConversationActor): Promise<string | null> {
    const r = this.host.record;
    const update = async (changes: Omit<UpdateConversationUpdateInput, 'accountId' | 'actor'>): Promise<string | null> => {
      const result = await this.host.update({ accountId: r.accountId, actor: asOwn(actor), ...changes });
      return result.changed ? null : 'no change';
    };
    const metadata = { automation: { source: key.split(':').slice(0, 2).join(':') } };
    switch (action.type) {
      case 'assign_agent':
        return update({ assigneeId: action.user_id });
      case 'assign_round_robin': {
        const { userId } = await effects.automationRoundRobin({ accountId: r.accountId, inboxId: r.inboxId });
        if (userId === null) throw new Error('no agent to assign');
        await update({ assigneeId: userId });
        return `agent ${userId}`;
      }
      case 'unassign':
        return update({ assigneeId: null });
      case 'add_tag':
      case 'remove_tag': {
        const add = action.type === 'add_tag';
        const { changed } = await effects.automationTag({ accountId: r.accountId, conversationId: r.id, tagId: action.tag_id, add });
        // The tag change is an event too (caused by this action), and a fact of the SLA policies.
        if (changed) {
          this.host.tagChanged();
          this.enqueue({
            kind: 'event',
            event: { type: 'tag_changed', tag: { id: action.tag_id, added: add } },
            cause: { depth: cause.depth + 1, chain: cause.chain },
          });
        }
        return changed ? null : 'no change';
      }
      case 'set_priority':
        return update({ priority: action.priority });
      case 'snooze':
        return update({ snoozedUntil: new Date(Date.now() + action.seconds * 1000).toISOString() });
      case 'close':
        return update({ status: 'closed' });
      case 'reopen':
        return update({ status: 'open' });
      case 'send_message':
        await this.host.post({ accountId: r.accountId, author: { kind: 'bot' }, body: action.body, metadata });
        return null;
      case 'add_note':
        await this.host.post({ accountId: r.accountId, author: { kind: 'system' }, body: action.body, private: true, metadata });
        return null;
      case 'send_email': {
        const sent = await effects.automationEmail({
          idempotencyKey: `automation:${r.id}:${key}`,
          accountId: r.accountId,
          conversationId: r.id,
          to: action.to,
          subject: action.subject,
          body: action.body,
        });
        return sent.status;
      }
      case 'call_webhook': {
        const payload = {
          event: 'automation',
          source: metadata.automation.source,
          conversation: this.host.record,
          at: new Date(Date.now()).toISOString(),
        };
        const answered = await effects.automationWebhook({ idempotencyKey: `${r.id}:${key}`, url: action.url, payload });
        return `HTTP ${answered.status}`;
      }
    }
  }
}

/** Changes a macro makes are the agent's, marked as automation so the rules see them as caused (depth 1). */
function asOwn(actor: ConversationActor): ConversationActor {
  return actor.kind === 'system' ? actor : AUTOMATION_ACTOR;
}
