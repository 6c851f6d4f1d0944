/**
 * @module workflows/conversation/workflow
 * The conversation actor (docs/architecture.md#one-workflow-per-conversation): the only writer
 * of one conversation. It orders messages (gap-free `seq`), applies state transitions, persists
 * through idempotent activities and publishes events, and owns every timer of the conversation
 * (snooze, reminders, unseen-reply email, archival) and the AI reply loop with human takeover.
 * Sandbox-pure: imports only @temporalio/workflow, this folder and activity types.
 *
 * The shape: the run's state and shared operations (run.ts), its handlers (below), then the main
 * loop (the timer loop, timer-loop.ts) until the run is archived or continues as new. The
 * transitions are the pure functions of state.ts; the write queue is write-queue.ts; the AI
 * loop is ai-loop.ts.
 *
 * Deploying changes: see docs/workflow-versioning.md. The patched paths (patches.ts) keep runs
 * started before each patch replaying unchanged.
 */
import { allHandlersFinished, condition, continueAsNew, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { requestAiReply } from './ai-loop.js';
import { archivedFailure, checked, errorMessage, notFoundFailure, rejected } from './failures.js';
import {
  archiveConversationUpdate,
  autoAssignSignal,
  CONTINUING_AS_NEW,
  getConversationQuery,
  handBackToBotUpdate,
  markSeenSignal,
  openConversationUpdate,
  postMessageUpdate,
  runMacroUpdate,
  tagsChangedSignal,
  updateConversationUpdate,
  type ConversationWorkflowInput,
  type PostMessageUpdateInput,
  type RunMacroUpdateInput,
  type UpdateConversationUpdateInput,
} from './messages.js';
import { readPatches } from './patches.js';
import { store } from './proxies.js';
import { ConversationRun } from './run.js';
import {
  actorStateFromRecord,
  applyHandBackToBot,
  applySeen,
  clearUnseenEmail,
  restoredRecord,
  upgradeRecord,
  validatePost,
  validateUpdate,
} from './state.js';
import { runTimerLoop } from './timer-loop.js';
import { registerScheduledHandlers, runScheduledLoop } from './scheduled.js';
import { runSlaLoop } from './sla.js';

export {
  AUTOMATION_PATCH,
  CLIENT_ID_AUTHOR_PATCH,
  LIFECYCLE_PATCH,
  REMINDER_POLICY_PATCH,
  SLA_PATCH,
  STORE_PATCH,
  TAG_EVENTS_PATCH,
} from './patches.js';

export async function conversationWorkflow(input: ConversationWorkflowInput): Promise<void> {
  const patches = readPatches();
  const run = new ConversationRun(input, patches);
  const { settings } = run;

  // ---- Handlers ----

  setHandler(getConversationQuery, () => run.snapshot());

  /** An archived conversation takes nothing more in this run; the gateway restarts it (restore). */
  function rejectIfArchived(): void {
    if (run.isArchived()) throw archivedFailure();
    // Time for a new run: take no more work here, or a steady stream of posts (each now
    // spans two workflow tasks) would keep a handler in flight and the run could never
    // end. The update is rejected before it enters history; the gateway sends it again
    // (same update id, on `UNAVAILABLE`) and the next run takes it.
    if (run.isDraining()) throw rejected('UNAVAILABLE', CONTINUING_AS_NEW);
  }

  setHandler(postMessageUpdate, (inp) => run.post(inp), {
    validator: (inp: PostMessageUpdateInput) => {
      rejectIfArchived();
      checked(() => validatePost(run.record, inp, settings.maxBodyChars));
    },
  });

  setHandler(
    openConversationUpdate,
    async (inp) => {
      await condition(() => run.persisted);
      const message = inp.message ? await run.post(inp.message) : null;
      return { conversation: run.record, message };
    },
    {
      validator: (inp: { message?: PostMessageUpdateInput }) => {
        const message = inp.message;
        if (message) checked(() => validatePost(run.record, message, settings.maxBodyChars));
      },
    },
  );

  if (patches.isLifecycle) {
    registerScheduledHandlers(run); // scheduled sends and follow-ups (scheduled.ts)

    setHandler(updateConversationUpdate, (inp) => run.update(inp), {
      validator: (inp: UpdateConversationUpdateInput) => {
        rejectIfArchived();
        checked(() => validateUpdate(run.record, inp, Date.now()));
      },
    });

    setHandler(handBackToBotUpdate, async (inp) => {
      await condition(() => run.persisted);
      if (inp.accountId !== run.record.accountId) throw notFoundFailure();
      const handedBack = applyHandBackToBot(run.record);
      if (handedBack === null) return { conversation: run.record, changed: false };
      const before = run.record;
      run.record = handedBack;
      await run.persistUpdated(before);
      // A customer still waiting for an answer gets one now.
      if (run.actor.awaitingReplySince !== null) requestAiReply(run, run.record.lastSeq);
      return { conversation: run.record, changed: true };
    });

    setHandler(archiveConversationUpdate, async (inp) => {
      await condition(() => run.persisted);
      if (inp.accountId !== run.record.accountId) throw notFoundFailure();
      if (!run.isArchived()) await run.archive(Date.now());
      return { conversation: run.record, changed: true };
    });

    setHandler(autoAssignSignal, async (inp) => {
      if (run.record.assigneeId !== null || run.isArchived()) return; // someone took it meanwhile
      try {
        await run.update({
          accountId: run.record.accountId,
          actor: { kind: 'system', name: 'auto-assignment' },
          assigneeId: inp.assigneeId,
        });
      } catch (err) {
        run.assignmentRefused();
        log.warn('automatic assignment refused', { error: errorMessage(err) });
      }
    });

    setHandler(markSeenSignal, (inp) => {
      if (run.isArchived()) return;
      const seen = applySeen(run.record, inp.customerId, inp.uptoSeq);
      if (seen === null) return;
      run.record = seen.record;
      // The customer saw the agent's reply: no "unseen reply" email.
      run.actor = clearUnseenEmail(run.actor);
      run.isDirty = true;
      void run
        .write({ kind: 'seen', uptoSeq: seen.uptoSeq, at: Date.now() }, run.record)
        .catch((err: unknown) => log.warn('read receipt not stored', { error: errorMessage(err) }));
    });
  }

  // AUTOMATION_PATCH: an agent's macro runs in the automation queue (rules.ts).
  const { automation } = run;
  if (automation) {
    setHandler(
      runMacroUpdate,
      async (inp) => {
        await condition(() => run.persisted);
        if (inp.accountId !== run.record.accountId) throw notFoundFailure();
        return automation.runMacro(inp);
      },
      { validator: (_inp: RunMacroUpdateInput) => rejectIfArchived() },
    );
  }

  // TAG_EVENTS_PATCH: a tag changed through the REST API. Registered in every run, so older runs
  // take the signal and do nothing (no command) rather than buffer it.
  setHandler(tagsChangedSignal, (inp) => {
    if (inp.accountId !== run.record.accountId) return;
    run.tagChangedOutside({ id: inp.tagId, added: inp.added });
  });

  // ---- Start: store the row (or restore it after archival) ----

  if (!run.persisted) {
    if (input.restore) {
      const stored = upgradeRecord(await store.loadConversationRecord({ conversationId: input.conversation.id }));
      run.record = restoredRecord(stored);
      run.actor = actorStateFromRecord(run.record, settings);
      run.clientIdsMayBeForgotten = true;
      run.searchAttributes();
      await run.write({ kind: 'updated' }, run.record);
    } else {
      run.searchAttributes();
      await run.write({ kind: 'created' }, run.record);
      run.automation?.conversationCreated(); // AUTOMATION_PATCH
    }
    run.persisted = true;
  }

  // ---- Main loop: timers until the run is archived or should continue as new ----

  if (patches.isLifecycle) void runScheduledLoop(run); // issues nothing until something is scheduled (scheduled.ts)
  const slaLoop = patches.isSla ? runSlaLoop(run) : undefined; // SLA_PATCH: SLA clocks beside the timers (sla.ts)
  if (patches.isLifecycle) await runTimerLoop(run);
  else await condition(() => run.shouldContinueAsNew());

  // Let in-flight posts and the AI loop finish so nothing is lost across the new run.
  await condition(() => allHandlersFinished() && run.isQuiet());
  if (slaLoop) await slaLoop; // SLA_PATCH: its last facts applied and recorded
  await run.writes.settled();
  if (run.isArchived()) {
    log.info('conversation archived; workflow completes', { lastSeq: run.record.lastSeq });
    return;
  }
  log.info('continuing as new', { historyLength: workflowInfo().historyLength, lastSeq: run.record.lastSeq, runCount: run.runCount });
  await continueAsNew<typeof conversationWorkflow>({ ...input, restore: false, carried: run.carried() });
}
