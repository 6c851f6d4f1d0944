/**
 * @module activities/sla
 * The conversation workflow's SLA activities (issue #21 item 1; workflows/conversation/sla.ts):
 * - `applySla` (normal, idempotent): the policy that applies now and the account's working hours,
 *   applied to the workflow's clocks (services/sla/clock.ts `planSla`), stored like `recordSla`;
 *   its result is recorded in the history, so a replay takes the same deadlines. A normal
 *   activity, not a local one: it runs beside the timer loop and the handlers, and only
 *   commands and their history events keep their order on replay.
 * - `recordSla` (normal, idempotent): the clocks into `sla_targets`, fenced by the workflow's
 *   revision, then `sla:changed` on the account topic.
 * - `sendSlaAlert` (normal, idempotent): `sla:alert` on the account topic, and one email per
 *   recipient who wants it (`sendOnce`, keyed per alert and agent).
 * Must not import: gateway/ (beyond protocol), workflows/.
 */
import type { DatabasePool } from 'slonik';
import { getAccount } from '../services/accounts/index.js';
import type { Bus } from '../services/bus/index.js';
import type { Logger } from '../services/log.js';
import { mailTransportGetter, sendOnce, type AnyMailTransport, type MailSettings } from '../services/mail/index.js';
import {
  loadSlaAlertContext,
  loadSlaEmailRecipients,
  matchSlaPolicy,
  planSla,
  presentSlaTarget,
  recordSlaClocks,
  slaAlertEmail,
  slaAlertKey,
  type SlaAlertKind,
  type SlaFacts,
  type SlaMetric,
  type SlaRecordInput,
  type SlaState,
} from '../services/sla/index.js';
import { accountTopic, EVENTS } from '../gateway/protocol/index.js';
import type { SlaAlertEvent, SlaChangedEvent } from '../gateway/protocol/wire/index.js';
import { adapt } from './adapt.js';

export type { SlaClock, SlaFacts, SlaMetric, SlaState } from '../services/sla/index.js';

export interface ApplySlaInput {
  accountId: string;
  conversationId: string;
  facts: SlaFacts;
  state: SlaState | undefined;
  now: number;
  /** How long one target minute lasts (SLA_MINUTE_MS; tests shorten it). */
  minuteMs: number;
}

export interface SendSlaAlertInput {
  accountId: string;
  conversationId: string;
  kind: SlaAlertKind;
  metric: SlaMetric;
  startedAt: number;
  dueAt: number;
  policyName: string;
  /** Agent ids, or every agent of the account. */
  recipients: number[] | 'all';
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createSlaActivities>` (docs/architecture.md#activities).
export function createSlaActivities(deps: { pool: DatabasePool; bus: Bus; log: Logger; mail: MailSettings; transport?: AnyMailTransport }) {
  const { pool, bus, mail } = deps;
  const log = deps.log.child({ component: 'sla' });
  const mailTransport = mailTransportGetter(mail, deps.transport);
  async function record(input: SlaRecordInput): Promise<void> {
    const open = await recordSlaClocks(pool, input);
    const payload: SlaChangedEvent = { conversation_id: input.conversationId, targets: open.map(presentSlaTarget) };
    await bus.publish(accountTopic(input.accountId), EVENTS.slaChanged, payload);
  }
  return {
    /** The clocks after applying `facts` at `now`, stored (no policy, a gone account: no new clocks; running ones go on). */
    applySla: async (input: ApplySlaInput): Promise<SlaState> =>
      adapt(async () => {
        const account = await getAccount(pool, input.accountId);
        const policy = account
          ? await matchSlaPolicy(pool, input.accountId, {
              id: input.conversationId,
              inboxId: input.facts.inboxId,
              priority: input.facts.priority,
            })
          : null;
        const hours = account ?? { time_zone: null, working_hours: [] };
        const state = planSla(input.state, input.facts, policy, hours, input.now, input.minuteMs);
        if (state.clocks.length > 0) {
          await record({
            accountId: input.accountId,
            conversationId: input.conversationId,
            inboxId: input.facts.inboxId,
            assigneeId: input.facts.assigneeId,
            revision: state.revision,
            clocks: state.clocks,
          });
        }
        return state;
      }),

    /** Store the clocks and tell the console. */
    recordSla: async (input: SlaRecordInput): Promise<void> => adapt(() => record(input)),

    /** The live alert for the recipients, and the email to those of them who want it. */
    sendSlaAlert: async (input: SendSlaAlertInput): Promise<{ emailed: number }> =>
      adapt(async () => {
        const event: SlaAlertEvent = {
          conversation_id: input.conversationId,
          metric: input.metric,
          kind: input.kind,
          policy_name: input.policyName,
          due_at: new Date(input.dueAt).toISOString(),
          recipient_ids: input.recipients === 'all' ? null : input.recipients,
        };
        await bus.publish(accountTopic(input.accountId), EVENTS.slaAlert, event);
        const tx = mailTransport();
        if (!tx) return { emailed: 0 };
        const context = await loadSlaAlertContext(pool, input.accountId, input.conversationId);
        if (!context) return { emailed: 0 };
        const to = await loadSlaEmailRecipients(pool, input.accountId, input.recipients);
        const content = slaAlertEmail({
          kind: input.kind,
          metric: input.metric,
          policyName: input.policyName,
          dueAt: input.dueAt,
          customerName: context.customerName,
          conversationUrl: mail.publicUrl ? `${mail.publicUrl}/conversations/${input.conversationId}` : undefined,
        });
        let emailed = 0;
        // One email per agent, each once: a retry after a partial run sends only the rest.
        for (const r of to) {
          const result = await sendOnce(pool, tx, {
            idempotencyKey: slaAlertKey(input.kind, input.conversationId, input.metric, input.startedAt, r.id),
            accountId: input.accountId,
            conversationId: input.conversationId,
            kind: 'sla_alert',
            to: [r.email],
            from: mail.from,
            ...content,
          });
          if (result.status === 'sent') emailed++;
        }
        log.info('sla alert', { conversationId: input.conversationId, kind: input.kind, metric: input.metric, emailed });
        return { emailed };
      }),
  };
}

export type SlaActivities = ReturnType<typeof createSlaActivities>;
