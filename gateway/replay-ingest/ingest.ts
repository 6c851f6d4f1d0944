/**
 * @module gateway/replay-ingest/ingest
 * One session-replay push, from the socket frame's bytes to the answer the
 * visitor gets (issue #20 point 4, docs/realtime.md#session-replay). It runs
 * in the gateway process's replay thread (./thread.ts), not on the event
 * loop that writes chat frames: parsing a batch's JSON, measuring and
 * validating it, storing it (services/browser-sessions ReplayWriteQueue) and
 * publishing it to the session's watchers is the whole cost of recording,
 * and on the chat's loop it delayed chat deliveries by as much (S14 in
 * docs/benchmarks.md).
 *
 * The checks are those the channel made before (gateway/channels/events.ts):
 * at most REPLAY_MAX_EVENTS_PER_PUSH events and REPLAY_MAX_PUSH_BYTES of
 * them (`too_large`), the wire schema (`invalid`), then what the write
 * answers (`disabled`, `invalid`, `session_cap`, `busy`). A frame that is not
 * a Phoenix frame with an object payload is `ignored` (no reply), as the
 * transport ignores a malformed frame.
 */
import type { ReplayWriteQueue, IncomingReplayEvent } from '../../services/browser-sessions/index.js';
import { eventsAdminTopic } from '../protocol/index.js';
import {
  REPLAY_EVENTS,
  REPLAY_MAX_EVENTS_PER_PUSH,
  REPLAY_MAX_PUSH_BYTES,
  replayEventsPushSchema,
  type ReplayErrorReason,
  type ReplayEventsBroadcast,
} from '../protocol/wire/index.js';
import { decodeFrame } from '../socket/frame.js';

/** A push for the replay thread: the whole frame of a `replay:events` push, or one legacy `replay:event:emitted` event (already validated). */
export type IngestRequest = { accountId: string; sessionId: string } & (
  { kind: 'frame'; frame: string } | { kind: 'legacy'; event: Record<string, unknown> }
);

export type IngestAnswer =
  /** Not a frame the transport would have taken: no reply. */
  | { kind: 'ignored'; problem: string }
  | { kind: 'refused'; reason: ReplayErrorReason }
  | {
      kind: 'stored';
      ackedSeq: number;
      /** The page's URL when a stored Meta event changed it (the live list shows it), else null. */
      newUrl: string | null;
      /** Events this push stored (resent seqs left out). */
      storedCount: number;
      /** The stored events, when the caller publishes them (no bus here, or a legacy event); else published already. */
      events?: IncomingReplayEvent[];
    };

export interface IngestDeps {
  writes: ReplayWriteQueue;
  /** Publishes on the bus (Redis); without it the stored events come back in the answer. */
  publish?: (topic: string, event: string, payload: unknown) => Promise<void>;
}

export async function ingestPush(deps: IngestDeps, request: IngestRequest): Promise<IngestAnswer> {
  const { accountId, sessionId } = request;
  let events: ReadonlyArray<{ seq: number | null; event: Record<string, unknown> }>;
  let bytes: number;
  if (request.kind === 'frame') {
    const decoded = decodeFrame(request.frame);
    if (typeof decoded === 'string') return { kind: 'ignored', problem: decoded };
    const { payload } = decoded;
    const raw = payload.events;
    if (Array.isArray(raw) && raw.length > REPLAY_MAX_EVENTS_PER_PUSH) return { kind: 'refused', reason: 'too_large' };
    bytes = Buffer.byteLength(JSON.stringify(raw ?? null));
    if (bytes > REPLAY_MAX_PUSH_BYTES) return { kind: 'refused', reason: 'too_large' };
    const push = replayEventsPushSchema.safeParse(payload);
    if (!push.success) return { kind: 'refused', reason: 'invalid' };
    events = push.data.events;
  } else {
    bytes = Buffer.byteLength(JSON.stringify(request.event));
    events = [{ seq: null, event: request.event }];
  }
  const result = await deps.writes.store({ accountId, sessionId, events }, bytes);
  if (!result.ok) return { kind: 'refused', reason: result.reason };
  const answer = { kind: 'stored' as const, ackedSeq: result.ackedSeq, newUrl: result.newUrl, storedCount: result.stored.length };
  // A legacy event's watchers get `replay:event:emitted` first; its caller publishes both, in that order.
  if (deps.publish === undefined || request.kind === 'legacy') return { ...answer, events: result.stored };
  if (result.stored.length > 0) {
    const broadcast: ReplayEventsBroadcast = { session_id: sessionId, events: result.stored };
    await deps.publish(eventsAdminTopic(accountId, sessionId), REPLAY_EVENTS.replayEvents, broadcast);
  }
  return answer;
}
