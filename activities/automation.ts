/**
 * @module activities/automation
 * The automation engine's activities (docs/automation.md#what-runs-where). The conversation
 * workflow (workflows/conversation/rules.ts) decides and orders; these read and reach out:
 * - `automationMatch` (local, read-only): the account's enabled rules at its current version
 *   and which of them an event runs. Its result is recorded in the workflow's history, so a
 *   replay takes the same rules whatever changed since, and a rule change is picked up at the
 *   next event, deterministically.
 * - `automationTag`, `automationRoundRobin`, `automationEmail`, `automationWebhook`,
 *   `automationLog` (normal activities, scheduled only by committed workflow tasks): the side
 *   effects, each idempotent on a key the workflow chose.
 * Must not import: gateway/ (beyond protocol), workflows/.
 */
import type { DatabasePool } from 'slonik';
import type { Bus } from '../services/bus/index.js';
import {
  chooseRoundRobin,
  evaluateRule,
  loadFacts,
  loadFactsAtVersion,
  RuleCache,
  timeTriggers,
  writeLogEntry,
  type AutomationEvent,
  type ConversationFacts,
  type TagChange,
  type LoadedFacts,
  type LogEntryInput,
} from '../services/automation/index.js';
import { addConversationTag, listConversationTags, removeConversationTag } from '../services/conversations/extras.js';
import { AppError } from '../services/errors.js';
import type { Logger } from '../services/log.js';
import { mailTransportGetter, sendOnce, type AnyMailTransport, type MailSettings } from '../services/mail/index.js';
import { getTag, presentTag } from '../services/tags/index.js';
import { postJson } from '../services/webhooks/http.js';
import type { NetworkPolicy } from '../services/webhooks/network.js';
import { accountTopic, EVENTS } from '../gateway/protocol/index.js';
import type { AutomationAction, AutomationRule, ConversationTagsEvent } from '../gateway/protocol/wire/index.js';
import { adapt } from './adapt.js';

export type { AutomationEvent, ConversationFacts, TagChange };

export interface AutomationActivityDeps {
  pool: DatabasePool;
  bus: Bus;
  log: Logger;
  mail: MailSettings;
  transport?: AnyMailTransport;
  /** Which addresses `call_webhook` may reach (the webhooks' SSRF guard; WEBHOOKS_ALLOW_PRIVATE_NETWORKS). */
  network?: NetworkPolicy;
}

export interface AutomationMatchInput {
  accountId: string;
  conversationId: string;
  customerId: string;
  /** The version the workflow already holds the time triggers of (null: none yet). */
  knownVersion: number | null;
  event: AutomationEvent;
  conversation: ConversationFacts;
  /** Rules that already ran in this chain of events (loop protection): never matched again. */
  skipRuleIds: readonly string[];
}

export interface AutomationTimer {
  id: string;
  type: 'customer_waiting' | 'agent_waiting';
  afterMs: number;
}

export interface AutomationMatchResult {
  version: number;
  /** The enabled time triggers at `version`; null when `version` is the workflow's `knownVersion`. */
  timers: AutomationTimer[] | null;
  /** The rules the event runs, in order (position, then id). */
  matched: Array<{ ruleId: string; name: string; actions: AutomationAction[] }>;
}

/** The webhook's timeout per attempt. */
const WEBHOOK_TIMEOUT_MS = 10_000;

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createAutomationActivities>` (docs/architecture.md#activities).
export function createAutomationActivities(deps: AutomationActivityDeps) {
  const { pool, bus, mail } = deps;
  const log = deps.log.child({ component: 'automation' });
  const cache = new RuleCache(pool);
  const mailTransport = mailTransportGetter(mail, deps.transport);
  const network = deps.network ?? { allowPrivateNetworks: false };

  return {
    automationMatch: async (input: AutomationMatchInput): Promise<AutomationMatchResult> =>
      adapt(async () => {
        const skip = new Set(input.skipRuleIds);
        const candidatesOf = (rules: readonly AutomationRule[]): AutomationRule[] =>
          rules.filter(
            (r) => !skip.has(r.id) && evaluateRule({ ...r, conditions: [] }, input.event, input.conversation, NO_FACTS).triggerMatches,
          );
        const answer = (
          version: number,
          rules: readonly AutomationRule[],
          candidates: AutomationRule[],
          facts: LoadedFacts,
        ): AutomationMatchResult => ({
          version,
          timers: version === input.knownVersion ? null : timeTriggers(rules),
          matched: candidates
            .filter((r) => evaluateRule(r, input.event, input.conversation, facts).matches)
            .map((r) => ({ ruleId: r.id, name: r.name, actions: r.actions })),
        });
        // The rules of an earlier event: their facts and the version in one read; still current → done.
        const held = cache.peek(input.accountId);
        if (held) {
          const candidates = candidatesOf(held.rules);
          const read = await loadFactsAtVersion(pool, candidates, input, Date.now());
          if (read.version === held.version) return answer(held.version, held.rules, candidates, read.facts);
        }
        const { version, rules } = await cache.get(input.accountId);
        const candidates = candidatesOf(rules);
        if (candidates.length === 0) return answer(version, rules, candidates, NO_FACTS);
        return answer(version, rules, candidates, await loadFacts(pool, candidates, input, Date.now()));
      }),

    /** Add or remove a conversation tag (idempotent); the console hears `conversation:tags`. */
    automationTag: async (input: {
      accountId: string;
      conversationId: string;
      tagId: string;
      add: boolean;
    }): Promise<{ changed: boolean }> =>
      adapt(async () => {
        if (!(await getTag(pool, input.accountId, input.tagId))) throw new AppError('NOT_FOUND', { message: 'tag not found' });
        const before = new Set((await listConversationTags(pool, input.accountId, input.conversationId)).map((t) => t.id));
        if (input.add) {
          if (before.has(input.tagId)) return { changed: false };
          await addConversationTag(pool, input.accountId, input.conversationId, input.tagId, null); // no acting user
        } else if (!(await removeConversationTag(pool, input.accountId, input.conversationId, input.tagId))) {
          return { changed: false };
        }
        const tags = await listConversationTags(pool, input.accountId, input.conversationId);
        const payload: ConversationTagsEvent = { conversation_id: input.conversationId, tags: tags.map(presentTag) };
        await bus.publish(accountTopic(input.accountId), EVENTS.conversationTags, payload);
        return { changed: true };
      }),

    automationRoundRobin: async (input: { accountId: string; inboxId: string | null }): Promise<{ userId: number | null }> =>
      adapt(async () => ({ userId: await chooseRoundRobin(pool, input.accountId, input.inboxId) })),

    automationEmail: async (input: {
      idempotencyKey: string;
      accountId: string;
      conversationId: string;
      to: string;
      subject: string;
      body: string;
    }): Promise<{ status: string }> =>
      adapt(async () => {
        const transport = mailTransport();
        if (!transport) return { status: 'mail_disabled' };
        const result = await sendOnce(pool, transport, {
          idempotencyKey: input.idempotencyKey,
          accountId: input.accountId,
          conversationId: input.conversationId,
          kind: 'automation',
          to: [input.to],
          from: mail.from,
          subject: input.subject,
          text: input.body,
        });
        return { status: result.status };
      }),

    /** POST JSON to the rule's URL through the webhooks' SSRF guard; a non-2xx answer is retried by Temporal. */
    automationWebhook: async (input: {
      idempotencyKey: string;
      url: string;
      payload: Record<string, unknown>;
    }): Promise<{ status: number }> =>
      adapt(async () => {
        const response = await postJson(
          input.url,
          JSON.stringify(input.payload),
          { 'x-netia-idempotency-key': input.idempotencyKey },
          {
            timeoutMs: WEBHOOK_TIMEOUT_MS,
            network,
          },
        );
        if (response.status < 200 || response.status >= 300) throw new Error(`webhook answered ${response.status}`);
        return { status: response.status };
      }),

    automationLog: async (entry: LogEntryInput): Promise<void> =>
      adapt(async () => {
        await writeLogEntry(pool, entry);
        log.debug('rule ran', { conversationId: entry.conversationId, rule: entry.name, event: entry.event });
      }),
  };
}

const NO_FACTS = { tagIds: null, customer: null, insideWorkingHours: null } as const;

export type AutomationActivities = ReturnType<typeof createAutomationActivities>;
