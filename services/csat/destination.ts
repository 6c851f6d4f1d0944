/**
 * @module services/csat/destination
 * The hook that sees each committed close: an outbound Destination (services/outbound/types.ts)
 * whose `plan` turns every committed `conversation:updated` of a closed conversation, in an
 * account with surveys on, into one job per resolution: `csat-offer-<conversation>-<closed_at
 * ms>`. A closed conversation announces many updates (tags, priority…) with the same
 * `closed_at`: they plan the same id, which the dispatcher starts once. Delivering the job
 * starts the survey's own workflow (workflows/csat, id `csat-<conversation>-<closed_at ms>`)
 * through the injected `startSurvey` (the worker builds it over its Temporal client:
 * temporal/csat-starter.ts), which treats an already started id as done. The survey timer lives
 * in that workflow, not in the conversation's.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import type { DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { DeliveryJob, Destination, OutboundEvent } from '../outbound/types.js';
import { listEnabledCsatSettings } from './settings.js';

export const CSAT_KIND = 'csat';

/** What the survey workflow needs: which close, and how long to wait. */
export interface StartSurveyInput {
  accountId: string;
  conversationId: string;
  closedAtMs: number;
  delayMs: number;
}

export interface CsatDestinationSettings {
  /** One minute of an account's `delay_minutes`, in ms (services/csat/config.ts `minuteMs`). */
  minuteMs: number;
  /** Start the survey workflow (idempotent per conversation and close); absent (a gateway): jobs are planned but fail UNAVAILABLE. */
  startSurvey?: (input: StartSurveyInput) => Promise<void>;
}

const ZCsatJobPayload = z.object({ conversationId: z.string(), closedAtMs: z.number(), delayMs: z.number().int().min(0) });

export function csatOfferJobId(conversationId: string, closedAtMs: number): string {
  return `csat-offer-${conversationId}-${closedAtMs}`;
}

async function plan(settings: CsatDestinationSettings, pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  const closes = events.flatMap((e) =>
    e.type === 'conversation:updated' && e.conversation.status === 'closed' && e.conversation.closed_at ? [e] : [],
  );
  if (closes.length === 0) return [];
  const enabled = await listEnabledCsatSettings(
    pool,
    closes.map((e) => e.accountId),
  );
  const jobs: DeliveryJob[] = [];
  for (const e of closes) {
    const account = enabled.get(e.accountId);
    if (!account) continue;
    const closedAtMs = Date.parse(e.conversation.closed_at!);
    if (!Number.isFinite(closedAtMs)) continue;
    const payload = { conversationId: e.conversationId, closedAtMs, delayMs: account.delay_minutes * settings.minuteMs };
    jobs.push({ id: csatOfferJobId(e.conversationId, closedAtMs), kind: CSAT_KIND, accountId: e.accountId, payload });
  }
  return jobs;
}

async function deliver(settings: CsatDestinationSettings, job: DeliveryJob): Promise<void> {
  const parsed = ZCsatJobPayload.safeParse(job.payload);
  if (!parsed.success) throw new AppError('BAD_REQUEST', { userMessage: `csat job ${job.id} has a malformed payload` });
  if (!settings.startSurvey) throw new AppError('UNAVAILABLE', { message: 'this process cannot start survey workflows' });
  await settings.startSurvey({ accountId: job.accountId, ...parsed.data });
}

/** The `csat` destination (services/outbound/destinations.ts builds it with the worker's settings). */
export function createCsatDestination(settings: CsatDestinationSettings | undefined): Destination {
  const s = settings ?? { minuteMs: 60_000 };
  return { kind: CSAT_KIND, plan: (pool, events) => plan(s, pool, events), deliver: (_ctx, job) => deliver(s, job) };
}
