/**
 * @module activities
 * Thin, idempotent adapters over services/ (docs/architecture.md#activities). `createActivities`
 * receives its dependencies from the worker entry point. Every write is keyed by
 * an id the workflow chose, so a retry never duplicates anything. Events are
 * published after the database commit (persist, then publish).
 * Must not import: gateway/, workflows/ (beyond types).
 */
import type { DatabasePool } from 'slonik';
import type { Bus, BusEvent } from '../services/bus/index.js';
import {
  findConversationById,
  lockStoredConversation,
  markAgentMessagesSeen,
  presentConversationRecord,
  recordFromRow,
  upsertConversation,
  type ConversationRecord,
  type MessageRecord,
} from '../services/conversations/index.js';
import { AppError } from '../services/errors.js';
import type { Logger } from '../services/log.js';
import { getUserById, isUserActive } from '../services/users/index.js';
import { adapt } from './adapt.js';
import { findAccountFileIds } from '../services/files/index.js';
import { getAutoAssignSettings, listInboxCandidates, pickRoundRobin } from '../services/assignment/index.js';
import { createLlmActivities } from './llm.js';
import { createMailActivities } from './mail.js';
import { createReminderActivities } from './reminders.js';
import { createSlaActivities } from './sla.js';
import { createOutboundActivities } from './outbound.js';
import { createGmailActivities, type GmailActivityDeps } from './gmail.js';
import { createHousekeepingActivities } from './housekeeping.js';
import { createAccountEmailActivities } from './account-email.js';
import { createCsatActivities } from './csat.js';
import { createScheduledActivities } from './scheduled.js';
import { createAutomationActivities } from './automation.js';
import type { NetworkPolicy } from '../services/webhooks/network.js';
import type { CsatConfig } from '../services/csat/config.js';
import { loadGmailSettings } from '../services/gmail/config.js';
import type { LlmSettings } from '../services/llm/config.js';
import type { AnyMailTransport, MailSettings } from '../services/mail/index.js';
import type OpenAI from 'openai';
import { findMessageByClientId, getMessage, insertMessage, presentMessage, type MessageRow } from '../services/messages/index.js';
import { storeMessageWithConversation } from '../services/messages/store.js';
import type { DispatchHint } from '../services/outbound/dispatch.js';
import type { Destination, OutboundEvent } from '../services/outbound/types.js';
import { accountTopic, conversationTopic, customerLobbyTopic, EVENTS, isCustomerVisible } from '../gateway/protocol/index.js';
import type { ConversationCreatedEvent, ConversationUpdatedEvent, MessageJson, MessagesSeenEvent } from '../gateway/protocol/wire/index.js';

export type { ConversationRecord, MessageRecord } from '../services/conversations/index.js';
export type { AiReplyResult } from './llm.js';
export type { AccountReminderSettings } from './reminders.js';
export type { ScheduledMessageRecord } from '../services/scheduled-messages/index.js';
export type { SlaClock, SlaFacts, SlaMetric, SlaState } from './sla.js';
export type { AutomationEvent, AutomationMatchInput, AutomationMatchResult, AutomationTimer, TagChange } from './automation.js';

export interface ActivityDeps {
  pool: DatabasePool;
  bus: Bus;
  log: Logger;
  /** The model behind AI replies (off unless configured). */
  llm: LlmSettings;
  /** SMTP for reply and reminder emails (off unless configured). */
  mail: MailSettings;
  /** Injected in tests (fake OpenAI server). */
  openai?: OpenAI;
  /** Injected in tests (fake SMTP transport). */
  mailTransport?: AnyMailTransport;
  /** User ids of the account's agents online on any gateway node (presence). */
  onlineAgents?: (accountId: string) => Promise<number[]>;
  /** Signal-with-start the inbox's assigner workflow (built by the worker with its Temporal client). */
  signalInboxAssigner?: (input: { accountId: string; inboxId: string; conversationId: string }) => Promise<void>;
  /**
   * Hand committed events to the outbound channels (webhooks, Slack, SMS, Gmail):
   * starts one delivery workflow per job, idempotently (services/outbound).
   * Called after the commit and the publish; a failure retries the activity.
   */
  dispatchOutbound?: (events: OutboundEvent[], hint?: DispatchHint) => Promise<void>;
  /** The outbound destinations delivery jobs run through, built by the worker with its settings (services/outbound/destinations.ts); absent: none (a job fails NOT_FOUND). */
  destinations?: readonly Destination[];
  /** Gmail sync and replies (off unless configured); `postInbound` posts mail into conversations over the worker's client. */
  gmail?: Omit<GmailActivityDeps, 'pool' | 'log'>;
  /** Satisfaction surveys: rating window, link signing and base URL (services/csat/config.ts). */
  csat?: CsatConfig;
  /** Which addresses an automation rule's `call_webhook` may reach (the webhooks' policy); absent: public only. */
  automationNetwork?: NetworkPolicy;
}

/** What the conversation workflow decided since its last write (see `storeBatch`). */
export interface StoreBatchInput {
  /** The conversation after the last change in the batch. */
  conversation: ConversationRecord;
  /** The conversation was created in this batch (`conversation:created`). */
  created: boolean;
  /** The conversation changed in a way agents see (`conversation:updated`, with the final snapshot). */
  updated: boolean;
  /** New messages in `seq` order. */
  messages: MessageRecord[];
  /** A customer read receipt up to this seq. */
  seen: { uptoSeq: number; at: number } | null;
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createActivities>` (docs/architecture.md#activities).
export function createActivities(deps: ActivityDeps) {
  const { pool, bus } = deps;

  /**
   * The conversation actor's one write path (since the `conversation-store-v3`
   * patch): everything the workflow decided since its last write, in one
   * transaction — the conversation row (the batch's final snapshot; the
   * revision guard ignores an older one), the messages in `seq` order
   * (idempotent on their ids) and read receipts — then the events in the same
   * order, then the outbound dispatch. A normal activity, scheduled only by a
   * committed workflow task, so nothing an uncommitted decision made can land
   * (local activities could: docs/architecture.md#writes-the-storebatch-activity). Returns the stored messages.
   */
  async function storeBatch(input: StoreBatchInput): Promise<{ messages: MessageJson[] }> {
    const c = input.conversation;
    const only = input.messages.length === 1 ? input.messages[0]! : undefined;
    // The common case (one new message, no files, no receipt) is one statement: no
    // BEGIN/COMMIT, no read-back, and the outbound check comes with it.
    let accountHasOutbound: boolean | undefined;
    let rows: MessageRow[] | null;
    if (!input.created && only && !only.fileIds?.length && !only.mentionedUserIds?.length && !input.seen) {
      const stored = await storeMessageWithConversation(pool, c, only);
      rows = stored ? [stored.row] : null;
      accountHasOutbound = stored?.accountHasOutbound;
    } else {
      rows = await pool.transaction(async (tx) => {
        // Only the first write creates the row. A later one that finds no row belongs to a
        // conversation deleted meanwhile (its workflow was terminated first): store nothing.
        if (!input.created && !(await lockStoredConversation(tx, c.id))) return null;
        await upsertConversation(tx, c);
        const stored = [];
        for (const m of input.messages) stored.push(await insertMessage(tx, m));
        if (input.seen) await markAgentMessagesSeen(tx, c.id, input.seen.uptoSeq, input.seen.at);
        return stored;
      });
    }
    if (rows === null) {
      deps.log.warn('write for a deleted conversation dropped', { conversationId: c.id, messages: input.messages.length });
      return { messages: [] };
    }
    const messages = rows.map((row) => presentMessage(row));
    // Published in this order, in one round trip (a Redis pipeline keeps the order).
    const published: BusEvent[] = [];
    const events: OutboundEvent[] = [];
    if (input.created) {
      const payload: ConversationCreatedEvent = { id: c.id };
      published.push({ topic: accountTopic(c.accountId), event: EVENTS.conversationCreated, payload });
      published.push({ topic: customerLobbyTopic(c.customerId), event: EVENTS.conversationCreated, payload });
      events.push({
        type: 'conversation:created',
        accountId: c.accountId,
        conversationId: c.id,
        conversation: presentConversationRecord(c),
        revision: c.revision,
      });
    }
    for (const json of messages) {
      if (isCustomerVisible(json)) published.push({ topic: conversationTopic(c.id), event: EVENTS.shout, payload: json });
      published.push({ topic: accountTopic(c.accountId), event: EVENTS.shout, payload: json });
      events.push({ type: 'message:created', accountId: c.accountId, conversationId: c.id, message: json });
    }
    if (input.updated) {
      const updates = presentConversationRecord(c);
      const payload: ConversationUpdatedEvent = { id: c.id, updates };
      published.push({ topic: accountTopic(c.accountId), event: EVENTS.conversationUpdated, payload });
      events.push({
        type: 'conversation:updated',
        accountId: c.accountId,
        conversationId: c.id,
        conversation: updates,
        revision: c.revision,
      });
    }
    if (input.seen) {
      const payload: MessagesSeenEvent = {
        conversation_id: c.id,
        seen_up_to_seq: input.seen.uptoSeq,
        seen_at: new Date(input.seen.at).toISOString(),
      };
      published.push({ topic: accountTopic(c.accountId), event: EVENTS.messagesSeen, payload });
    }
    await bus.publishMany(published);
    if (events.length) {
      const hint = accountHasOutbound === undefined ? undefined : { activeAccounts: new Set(accountHasOutbound ? [c.accountId] : []) };
      await deps.dispatchOutbound?.(events, hint);
    }
    return { messages };
  }

  return {
    ...createLlmActivities({ pool, bus, log: deps.log, llm: deps.llm, ...(deps.openai ? { openai: deps.openai } : {}) }),
    ...createMailActivities({ pool, log: deps.log, mail: deps.mail, ...(deps.mailTransport ? { transport: deps.mailTransport } : {}) }),
    ...createReminderActivities({ pool }),
    ...createScheduledActivities({ pool, bus, log: deps.log }),
    ...createSlaActivities({ pool, bus, log: deps.log, mail: deps.mail, ...(deps.mailTransport ? { transport: deps.mailTransport } : {}) }),
    ...createOutboundActivities({ pool, log: deps.log, destinations: deps.destinations ?? [] }),
    ...createGmailActivities({ pool, log: deps.log, maxBodyChars: 10_000, settings: loadGmailSettings({}), ...deps.gmail }),
    ...createHousekeepingActivities({
      pool,
      log: deps.log,
      dispatchOutbound: deps.dispatchOutbound,
      destinations: deps.destinations ?? [],
    }),
    ...createCsatActivities({
      pool,
      bus,
      log: deps.log,
      mail: deps.mail,
      ...(deps.mailTransport ? { transport: deps.mailTransport } : {}),
      ...(deps.csat ? { csat: deps.csat } : {}),
    }),
    ...createAutomationActivities({
      pool,
      bus,
      log: deps.log,
      mail: deps.mail,
      ...(deps.mailTransport ? { transport: deps.mailTransport } : {}),
      ...(deps.automationNetwork ? { network: deps.automationNetwork } : {}),
    }),
    ...createAccountEmailActivities({
      pool,
      log: deps.log,
      mail: deps.mail,
      ...(deps.mailTransport ? { transport: deps.mailTransport } : {}),
    }),

    /** Runs before `conversation-store-v3` (replay): store the conversation row and announce it, as one batch. */
    async persistConversation(input: { conversation: ConversationRecord; event: 'created' | 'updated' }): Promise<void> {
      return adapt(async () => {
        const { conversation, event } = input;
        await storeBatch({ conversation, created: event === 'created', updated: event === 'updated', messages: [], seen: null });
      });
    },

    /** Runs before `conversation-store-v3` (replay): one message and the state it produced, as one batch. */
    async recordMessage(input: {
      message: MessageRecord;
      conversation: ConversationRecord;
      conversationChanged: boolean;
    }): Promise<MessageJson> {
      return adapt(async () => {
        const { conversation, message, conversationChanged } = input;
        const result = await storeBatch({ conversation, created: false, updated: conversationChanged, messages: [message], seen: null });
        const stored = result.messages[0];
        if (!stored) throw new AppError('NOT_FOUND', { message: `conversation ${conversation.id} was deleted` });
        return stored;
      });
    },

    /** The batched write (`storeBatch` above); adapted to the error model. */
    storeBatch: (input: StoreBatchInput): Promise<{ messages: MessageJson[] }> => adapt(() => storeBatch(input)),

    async loadMessage(input: { conversationId: string; id: string }): Promise<MessageJson> {
      return adapt(async () => {
        const row = await getMessage(pool, input.conversationId, input.id);
        return presentMessage(row);
      });
    },

    async findMessageByClientId(input: {
      conversationId: string;
      clientMessageId: string;
      authorKey?: string;
    }): Promise<MessageJson | null> {
      return adapt(async () => {
        const row = await findMessageByClientId(pool, input.conversationId, input.clientMessageId, input.authorKey);
        return row ? presentMessage(row) : null;
      });
    },

    /**
     * Whether `userId` is an enabled agent of the account (assignment target check).
     * Read-only; safe to retry.
     */
    async checkAgent(input: { accountId: string; userId: number }): Promise<{ ok: boolean; reason?: string }> {
      return adapt(async () => {
        const user = await getUserById(pool, input.userId);
        if (!user || user.account_id !== input.accountId) return { ok: false, reason: 'assignee is not an agent of this account' };
        if (!isUserActive(user)) return { ok: false, reason: 'assignee is disabled' };
        return { ok: true };
      });
    },

    /** Runs before `conversation-store-v3` (replay): a customer read receipt, as one batch. */
    async markSeen(input: { conversation: ConversationRecord; uptoSeq: number; at: number }): Promise<void> {
      return adapt(async () => {
        await storeBatch({
          conversation: input.conversation,
          created: false,
          updated: false,
          messages: [],
          seen: { uptoSeq: input.uptoSeq, at: input.at },
        });
      });
    },

    /** The AI's typing indicator, to the customer and the agents (`typing {typing, type: "ai"}`). Ephemeral. */
    async publishTyping(input: { conversationId: string; accountId: string; typing: boolean }): Promise<void> {
      const payload = { typing: input.typing, type: 'ai', conversation_id: input.conversationId };
      await bus.publish(conversationTopic(input.conversationId), EVENTS.typing, payload);
      await bus.publish(accountTopic(input.accountId), EVENTS.typing, payload);
    },

    /** The ids among `fileIds` that are NOT files of the account (attachments are refused then). */
    async checkFiles(input: { accountId: string; fileIds: string[] }): Promise<string[]> {
      return adapt(async () => {
        const found = new Set(await findAccountFileIds(pool, input.accountId, input.fileIds));
        return input.fileIds.filter((id) => !found.has(id));
      });
    },

    /** Ask the inbox's assigner for an agent, when the inbox has automatic assignment on. */
    async requestAutoAssignment(input: { accountId: string; inboxId: string; conversationId: string }): Promise<{ requested: boolean }> {
      return adapt(async () => {
        const settings = await getAutoAssignSettings(pool, input.accountId, input.inboxId);
        if (!settings.enabled || !deps.signalInboxAssigner) return { requested: false };
        await deps.signalInboxAssigner(input);
        return { requested: true };
      });
    },

    /** The assigner's choice: next online agent of the inbox's rotation under the cap after `lastAssigned`, or null. */
    async chooseAssignee(input: {
      accountId: string;
      inboxId: string;
      lastAssigned: number | null;
    }): Promise<{ enabled: boolean; userId: number | null; online: number }> {
      return adapt(async () => {
        const settings = await getAutoAssignSettings(pool, input.accountId, input.inboxId);
        if (!settings.enabled) return { enabled: false, userId: null, online: 0 };
        const online = deps.onlineAgents ? await deps.onlineAgents(input.accountId) : [];
        const candidates = await listInboxCandidates(pool, input.accountId, input.inboxId, online);
        return { enabled: true, userId: pickRoundRobin(candidates, input.lastAssigned, settings.maxOpenPerAgent), online: online.length };
      });
    },

    /** The stored conversation, for a workflow run that restarts an archived conversation. */
    async loadConversationRecord(input: { conversationId: string }): Promise<ConversationRecord> {
      return adapt(async () => {
        const row = await findConversationById(pool, input.conversationId);
        if (!row) throw new AppError('NOT_FOUND', { message: `conversation ${input.conversationId} is not stored` });
        return recordFromRow(row);
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
