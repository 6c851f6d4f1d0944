/**
 * @module workflows/conversation/workflow
 * The conversation actor (DESIGN §1–2): the only writer of one conversation.
 * It orders messages (gap-free `seq`), applies state transitions, persists
 * through idempotent activities and publishes events, then waits for the next
 * message. Sandbox-pure: imports only @temporalio/workflow and types.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities, ConversationRecord } from '../../activities/index.js';
import {
  getConversationQuery,
  openConversationUpdate,
  postMessageUpdate,
  type CarriedConversationState,
  type ConversationWorkflowInput,
  type OpenConversationUpdateInput,
  type PostMessageUpdateInput,
  type PostMessageUpdateResult,
} from './messages.js';
import { applyMessage, buildMessage, CLIENT_ID_WINDOW, initialRecord, rememberClientId, validatePost } from './state.js';

/**
 * Persistence and publishing are short, idempotent database/Redis calls, so they
 * run as local activities: no extra server round trip per message. A retry after a
 * worker crash re-runs them; the upserts make that harmless.
 */
const storeActivity = {
  startToCloseTimeout: '10 seconds',
  localRetryThreshold: '5 seconds',
  retry: { initialInterval: '100 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
} as const;

const store = proxyLocalActivities<ReturnType<typeof createActivities>>(storeActivity);

export async function conversationWorkflow(input: ConversationWorkflowInput): Promise<void> {
  let record: ConversationRecord = input.carried?.record ?? initialRecord(input);
  let recentClientIds: Array<[string, string]> = input.carried?.recentClientIds ?? [];
  const runCount = input.carried?.runCount ?? 1;
  let persisted = input.carried !== undefined;
  /** Client ids whose first post is still being stored: a concurrent duplicate waits for it. */
  const inFlightClientIds = new Set<string>();

  // One writer at a time: posts are stored and published in seq order (CONVENTIONS 6).
  let tail: Promise<unknown> = Promise.resolve();
  function serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  }

  function searchAttributes(): void {
    upsertSearchAttributes({
      NetiaAccountId: [record.accountId],
      NetiaStatus: [record.status],
      NetiaAssigneeId: [record.assigneeId === null ? 'unassigned' : String(record.assigneeId)],
      NetiaInboxId: record.inboxId === null ? [] : [record.inboxId],
    });
  }

  async function post(inp: PostMessageUpdateInput): Promise<PostMessageUpdateResult> {
    await condition(() => persisted);
    const clientId = inp.clientMessageId ?? null;
    if (clientId !== null) {
      await condition(() => !inFlightClientIds.has(clientId));
      const known = recentClientIds.find(([c]) => c === clientId);
      if (known) return { message: await store.loadMessage({ conversationId: record.id, id: known[1] }), duplicate: true };
      if (record.lastSeq >= CLIENT_ID_WINDOW) {
        // The window may have forgotten this id; the database has not.
        const found = await store.findMessageByClientId({ conversationId: record.id, clientMessageId: clientId });
        if (found) return { message: found, duplicate: true };
      }
      inFlightClientIds.add(clientId);
    }
    try {
      const message = buildMessage(record, inp, { id: uuid4(), now: Date.now() });
      const applied = applyMessage(record, message);
      const before = record;
      record = applied.record;
      if (clientId !== null) recentClientIds = rememberClientId(recentClientIds, clientId, message.id);
      if (applied.changed && (before.status !== record.status || before.assigneeId !== record.assigneeId)) {
        searchAttributes();
      }
      const snapshot = record;
      const stored = await serialize(() =>
        store.recordMessage({ message, conversation: snapshot, conversationChanged: applied.changed }),
      );
      return { message: stored, duplicate: false };
    } finally {
      if (clientId !== null) inFlightClientIds.delete(clientId);
    }
  }

  setHandler(getConversationQuery, () => ({
    record,
    persisted,
    runCount,
    historyLength: workflowInfo().historyLength,
  }));

  setHandler(
    postMessageUpdate,
    (inp) => post(inp),
    // Typed explicitly: setHandler cannot infer Args for `options`, so `inp` would be `any`.
    { validator: (inp: PostMessageUpdateInput) => validatePost(record, inp, input.settings.maxBodyChars) },
  );

  setHandler(
    openConversationUpdate,
    async (inp) => {
      await condition(() => persisted);
      const message = inp.message ? await post(inp.message) : null;
      return { conversation: record, message };
    },
    {
      validator: (inp: OpenConversationUpdateInput) => {
        if (inp.message) validatePost(record, inp.message, input.settings.maxBodyChars);
      },
    },
  );

  if (!persisted) {
    searchAttributes();
    await serialize(() => store.persistConversation({ conversation: record, event: 'created' }));
    persisted = true;
  }

  const threshold = input.settings.continueAsNewAfterEvents;
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= threshold);
  // Let in-flight posts finish so none is lost across the new run.
  await condition(allHandlersFinished);
  await tail;
  log.info('continuing as new', { historyLength: workflowInfo().historyLength, lastSeq: record.lastSeq, runCount });
  const carried: CarriedConversationState = { record, recentClientIds, runCount: runCount + 1 };
  await continueAsNew<typeof conversationWorkflow>({ ...input, carried });
}
