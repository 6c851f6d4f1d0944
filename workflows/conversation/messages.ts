/**
 * @module workflows/conversation/messages
 * Every update, signal and query of the conversation workflow, with its input
 * and result types (docs/architecture.md#layer-rules). The gateway imports this module, never
 * `workflow.ts`. Wire names equal the constant names without their suffix.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AutomationTimer, ConversationRecord, ScheduledMessageRecord, SlaState } from '../../activities/index.js';
import type { AutomationAction, AutomationActionOutcome, MessageJson } from '../../gateway/protocol/wire/index.js';

/** Validator rejection while a run drains before continue-as-new: the caller sends the update again. */
export const CONTINUING_AS_NEW = 'conversation is continuing as new; retry';

/** Registered workflow type name (the exported function in workflow.ts). */
export const CONVERSATION_WORKFLOW_TYPE = 'conversationWorkflow';

/** Workflow id of a conversation: one actor per conversation (docs/architecture.md#one-workflow-per-conversation). */
export function conversationWorkflowId(conversationId: string): string {
  return `conversation-${conversationId}`;
}

/** Limits and timer durations, resolved by the starter from temporal.config.ts (workflows cannot read env). */
export interface ConversationSettings {
  maxBodyChars: number;
  continueAsNewAfterEvents: number;
  /** Reminder interval and maximum of accounts without a policy of their own (see REMINDER_POLICY_PATCH). */
  reminderAfterMs: number;
  maxReminders: number;
  /**
   * What one hour of an account's `conversation_reminder_hours_interval` lasts, in ms
   * (CONVERSATION_REMINDER_HOUR_MS; tests shorten it). Absent in runs started before it: an hour.
   */
  reminderHourMs?: number;
  unseenReplyEmailAfterMs: number;
  archiveAfterMs: number;
  /** What one minute of an SLA target lasts, in ms (SLA_MINUTE_MS; tests shorten it). Absent: a minute. */
  slaMinuteMs?: number;
  /** Posted by the bot when the model fails after its retries (absent in runs started before it existed). */
  aiFallbackMessage?: string;
  /** False when no model is configured: the AI loop is skipped without asking per message (absent = ask). */
  aiConfigured?: boolean;
}

/** What a conversation workflow is started with (also what restarting an archived one needs). */
export interface ConversationRef {
  id: string;
  accountId: string;
  customerId: string;
  inboxId: string | null;
  source: string;
  subject: string | null;
  /** Epoch ms; the starter's clock, so the row's created_at matches the API response. */
  createdAt: number;
}

export interface ConversationWorkflowInput {
  conversation: ConversationRef;
  settings: ConversationSettings;
  /** Present after continue-as-new: compact state of the previous run. */
  carried?: CarriedConversationState;
  /** Restart an archived conversation: load its state from PostgreSQL instead of starting fresh. */
  restore?: boolean;
}

/** Lifecycle state that lives only in the actor (timers, AI progress), carried across continue-as-new. */
export interface ActorState {
  /** When the oldest customer message still waiting for an agent reply arrived. */
  awaitingReplySince: number | null;
  reminderCount: number;
  reminderDueAt: number | null;
  /** When the last reminder was sent (the next one is due an interval later); absent in older runs. */
  lastReminderAt?: number | null;
  unseenEmailDueAt: number | null;
  unseenAgentMessageId: string | null;
  archiveDueAt: number | null;
  /** Highest customer seq the AI should answer, and the highest it has handled. */
  aiWantedSeq: number;
  aiAnsweredSeq: number;
  /** SLA clocks (SLA_PATCH, sla.ts); absent without any. */
  sla?: SlaState;
}

/**
 * A remembered client message id: `[client id, message id, author key]`. The author key
 * (messageAuthorKey) is absent in entries remembered before CLIENT_ID_AUTHOR_PATCH.
 */
export type RecentClientId = [clientMessageId: string, messageId: string, authorKey?: string];

/** Compact, JSON-plain state carried across continue-as-new: never the transcript. */
export interface CarriedConversationState {
  record: ConversationRecord;
  /** Recent client message ids → stored message id, oldest first (bounded). */
  recentClientIds: Array<RecentClientId>;
  runCount: number;
  /** Absent in runs started before the lifecycle patch. */
  actor?: ActorState;
  /** The id window was lost (restore after archival): check the database for every client id. */
  clientIdsMayBeForgotten?: boolean;
  /** Pending scheduled messages (scheduled.ts); absent when none. */
  scheduled?: ScheduledMessageRecord[];
  /** The automation engine's timers (AUTOMATION_PATCH; absent in older runs): rules.ts. */
  automation?: AutomationState;
}

/** The automation engine's state, carried across continue-as-new (workflows/conversation/rules.ts). */
export interface AutomationState {
  /** The account's rules version the timers were read at (null: not read yet). */
  version: number | null;
  /** The enabled time triggers at `version`. */
  timers: AutomationTimer[];
  /** Time triggers that fired in their current waiting period (rule ids). */
  fired: string[];
  /** The customer's last message while no public agent reply followed it (`customer_waiting`). */
  lastCustomerAt: number | null;
  /** The last public agent reply while no customer message followed it (`agent_waiting`). */
  lastAgentAt: number | null;
}

export type MessageAuthor =
  { kind: 'customer'; customerId: string } | { kind: 'agent'; userId: number } | { kind: 'bot' } | { kind: 'system' };

/**
 * Who a client message id belongs to: ids are deduplicated per author, so one author's id
 * never returns (or hides) another author's message. Also part of the gateway's update id.
 */
export function messageAuthorKey(author: MessageAuthor): string {
  switch (author.kind) {
    case 'customer':
      return `customer:${author.customerId}`;
    case 'agent':
      return `agent:${author.userId}`;
    default:
      return author.kind;
  }
}

export interface PostMessageUpdateInput {
  /** Must equal the conversation's account (the gateway resolved it from the caller's credentials). */
  accountId: string;
  author: MessageAuthor;
  body: string | null;
  private?: boolean;
  type?: 'reply' | 'note' | 'bot' | 'system';
  /** Makes posting idempotent: the same id twice from the same author returns the first message and stores nothing new. */
  clientMessageId?: string | null;
  /** The client's own timestamp, echoed back unchanged (widgets merge their optimistic bubble by it). ISO 8601. */
  sentAt?: string | null;
  source?: string;
  subject?: string | null;
  metadata?: Record<string, unknown>;
  /** Uploaded files to attach (ids from `POST /api/upload`); they must belong to the account. */
  fileIds?: string[];
  /** Agents a private note mentions (user ids; the store keeps only enabled agents of the account, never the author). */
  mentionedUserIds?: number[];
}

/** The stored message, as clients receive it (expanded message JSON with `seq`; gateway/protocol/wire). */
export type { MessageJson };

export interface PostMessageUpdateResult {
  message: MessageJson;
  /** True when the client message id had been seen: nothing new was stored. */
  duplicate: boolean;
}

export interface OpenConversationUpdateInput {
  /** Optional first message, posted right after the conversation is stored. */
  message?: PostMessageUpdateInput;
}

export interface OpenConversationUpdateResult {
  /** The conversation as stored (present it with services' `presentConversationRecord`). */
  conversation: ConversationRecord;
  message: PostMessageUpdateResult | null;
}

export type GetConversationQueryInput = Record<string, never>;

export interface GetConversationQueryResult {
  record: ConversationRecord;
  persisted: boolean;
  runCount: number;
  historyLength: number;
  /** Pending timers and AI progress (null in runs started before the lifecycle patch). */
  actor: ActorState | null;
  ai: { generating: boolean };
}

/** Who changes a conversation: an agent, or the system itself (integrations, timers). */
export type ConversationActor = { kind: 'agent'; userId: number } | { kind: 'system'; name: string };

export interface UpdateConversationUpdateInput {
  /** Must equal the conversation's account (resolved by the gateway from the caller). */
  accountId: string;
  actor: ConversationActor;
  status?: 'open' | 'closed';
  priority?: 'priority' | 'not_priority';
  /** null unassigns; a number must be an enabled agent of the account (checked by the workflow). */
  assigneeId?: number | null;
  /** ISO time in the future: status becomes `snoozed` until then, when a timer reopens it. */
  snoozedUntil?: string | null;
  /** The gateway checked that the inbox belongs to the account. */
  inboxId?: string | null;
  subject?: string | null;
  /** Agent-side read mark. */
  read?: boolean;
}

export interface UpdateConversationUpdateResult {
  conversation: ConversationRecord;
  changed: boolean;
}

export interface HandBackToBotUpdateInput {
  accountId: string;
  actor: ConversationActor;
}

export interface ArchiveConversationUpdateInput {
  accountId: string;
  actor: ConversationActor;
}

export interface MarkSeenSignalInput {
  /** The customer whose socket sent `messages:seen` (must be the conversation's). */
  customerId: string;
  /** Seen up to this seq; defaults to the last seq. */
  uptoSeq?: number;
}

/** Post a message (customer, agent, bot, note, system). Validated before it enters history. */
export const postMessageUpdate = defineUpdate<PostMessageUpdateResult, [PostMessageUpdateInput]>('postMessage');

/** Used with update-with-start: returns once the conversation row is stored (and the first message, if any). */
export const openConversationUpdate = defineUpdate<OpenConversationUpdateResult, [OpenConversationUpdateInput]>('openConversation');

/** Status, priority, assignee, snooze, inbox, subject, read mark. Rejected (not applied) when invalid. */
export const updateConversationUpdate = defineUpdate<UpdateConversationUpdateResult, [UpdateConversationUpdateInput]>('updateConversation');

/** An agent hands the conversation back to the AI. */
export const handBackToBotUpdate = defineUpdate<UpdateConversationUpdateResult, [HandBackToBotUpdateInput]>('handBackToBot');

/** Archive now: the row gets `archived_at` and the workflow completes. A later customer message restarts it. */
export const archiveConversationUpdate = defineUpdate<UpdateConversationUpdateResult, [ArchiveConversationUpdateInput]>(
  'archiveConversation',
);

/** Customer read receipt (`messages:seen`): fire-and-forget, as the original's widget event. */
export const markSeenSignal = defineSignal<[MarkSeenSignalInput]>('markSeen');

export interface AutoAssignSignalInput {
  /** Chosen by the inbox assigner among enabled, online agents of the account. */
  assigneeId: number;
}

/** From the inbox assigner: take this agent if still unassigned. */
export const autoAssignSignal = defineSignal<[AutoAssignSignalInput]>('autoAssign');

export interface RunMacroUpdateInput {
  accountId: string;
  actor: ConversationActor;
  macroId: string;
  name: string;
  /** The macro's actions as the gateway read them (part of the update, so replay runs the same). */
  actions: AutomationAction[];
  /** The account's automation version they were read at (for the rule log). */
  version: number;
}

export interface RunMacroUpdateResult {
  actions: AutomationActionOutcome[];
}

export interface TagsChangedSignalInput {
  /** Must equal the conversation's account (the gateway resolved it from the caller). */
  accountId: string;
  actor: ConversationActor;
  tagId: string;
  /** True: added; false: removed. */
  added: boolean;
}

/**
 * A tag was added to or removed from the conversation outside the workflow (the REST tag routes
 * write `conversation_tags` themselves): rules see a `tag_changed` event and the SLA clocks
 * apply their facts again. Fire and forget; runs without TAG_EVENTS_PATCH ignore it.
 */
export const tagsChangedSignal = defineSignal<[TagsChangedSignalInput]>('tagsChanged');

/** Run a macro's actions in order, after the automation events already queued (AUTOMATION_PATCH runs only). */
export const runMacroUpdate = defineUpdate<RunMacroUpdateResult, [RunMacroUpdateInput]>('runMacro');

/** Live state of the actor. */
export const getConversationQuery = defineQuery<GetConversationQueryResult, [GetConversationQueryInput]>('getConversation');

// Scheduled sends and follow-ups (issue #21 point 4): their updates live in their own file.
export * from './scheduled-messages.js';
