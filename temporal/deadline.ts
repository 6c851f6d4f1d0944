/**
 * @module temporal/deadline
 * Every Temporal call made for a client request has a deadline (docs/architecture.md#errors):
 * when the Temporal server is down, paused or saturated, the caller gets a fast, clear
 * `UNAVAILABLE` (HTTP 503 with `Retry-After`, an error reply on the socket) instead of a
 * request that hangs until the SDK's own retries give up and then answers 500.
 *
 * The deadline covers the whole operation (queueing per conversation, the SDK's retries of
 * `UNAVAILABLE`, our own update retries), through the client's `withDeadline`: every gRPC call
 * started inside gets the same absolute deadline.
 *
 * Admission (`createAdmission`): past the knee, queueing more work only makes every answer later.
 * The operations in flight are bounded in TIME (the measured completion rate × the queue a new
 * one may wait behind), under a fixed ceiling; one more is refused at once with `UNAVAILABLE`
 * and `Retry-After: 1`, so clients back off instead of resending into a saturated server.
 */
import {
  isGrpcCancelledError,
  isGrpcDeadlineError,
  isGrpcServiceError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { AppError, temporarilyUnavailable } from '../services/errors.js';

/** Default budget of one operation (`TEMPORAL_CALL_TIMEOUT_MS`). */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/** gRPC status codes (grpc.status) that mean "could not be reached" or "did not answer in time". */
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
const UNREACHABLE_CODES: ReadonlySet<number> = new Set([GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_UNAVAILABLE]);

/**
 * True when `err` (or an error it wraps: the SDK wraps gRPC errors in `ServiceError`) says
 * Temporal could not be reached or did not answer within the deadline.
 */
export function isTemporalUnreachable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth += 1, e = e.cause) {
    if (isUnreachableHere(e)) return true;
  }
  return false;
}

/** One link of the cause chain (a separate function: the SDK's guards would narrow `e` away). */
function isUnreachableHere(e: unknown): boolean {
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcDeadlineError(e) || isGrpcCancelledError(e)) return true;
  return isGrpcServiceError(e) && UNREACHABLE_CODES.has(e.code);
}

/** The error a request sees when Temporal did not answer in time. */
export function temporalUnavailable(cause: unknown): AppError {
  return temporarilyUnavailable('temporal did not answer in time', cause);
}

/**
 * The client request an operation is made for. `arrivedAt` (ms since the epoch): when it reached
 * this process, if it waited before this call (a socket channel runs its frames one at a time);
 * the budget counts from there. `admitted`: its place was already taken at arrival (the socket
 * server's `admit` hook, through `Admission.enter`), and is given back by whoever took it.
 */
export interface RequestTiming {
  arrivedAt?: number;
  admitted?: boolean;
}

/** A function that runs one operation within the budget, its deadline passed in (for retry loops). */
export type WithinDeadline = <R>(fn: (deadline: number) => Promise<R>, request?: RequestTiming) => Promise<R>;

/**
 * Admission of one client's operations (this process): how many may be in flight at once.
 *
 * A fixed cap bounds the queue in COUNT, and a count is the wrong unit: 1000 operations in
 * flight are 25 s of waiting at 40 completions a second and nothing at 1000. So the limit
 * follows the measured completion rate: completions per second over the last `rateWindowMs`,
 * × `maxQueueMs`, between `minInFlight` and `maxInFlight`. A command admitted past the knee
 * waits behind at most about `maxQueueMs` of work, the backlog drains within about that long
 * once the overload ends, and everything beyond is refused at once so clients back off
 * (Little's law: in flight = throughput × time in the system). This reads time in the system
 * past the knee as queueing; `minInFlight` keeps a node whose commands are slow without being
 * queued (a burst of workflow starts) from throttling itself.
 */
export interface AdmissionOptions {
  /**
   * Hard ceiling of operations in flight at once, whatever the measured rate; one more is
   * refused at once with UNAVAILABLE and a short Retry-After. Undefined: no ceiling.
   */
  maxInFlight?: number;
  /**
   * The queue, in time, a new operation may wait behind (ms): the adaptive limit is the
   * completion rate × this. Undefined: no adaptive limit (only `maxInFlight`).
   */
  maxQueueMs?: number;
  /**
   * The adaptive limit never goes below this, so a cold or idle process (no completions
   * measured yet) still admits a normal burst. Default `DEFAULT_MIN_IN_FLIGHT`.
   */
  minInFlight?: number;
  /** The window the completion rate is measured over (ms). Default `DEFAULT_RATE_WINDOW_MS`. */
  rateWindowMs?: number;
  /** Clock of the rate measurement (ms); tests pass a fake one. Default `Date.now`. */
  now?: () => number;
}

/** Budget and admission of one client's operations. */
export interface DeadlineOptions extends AdmissionOptions {
  /** Budget of one operation (ms). */
  timeoutMs?: number;
  /** An admission shared with callers that take places at arrival; else one is made from the options. */
  admission?: Admission;
}

/** Retry-After of a refusal because too much is in flight (seconds). */
export const BUSY_RETRY_AFTER_S = 1;
/** The refusal of a saturated node: `message` (the log's) says why; the client reads only "busy" and Retry-After. */
function busy(message: string): AppError {
  return new AppError('UNAVAILABLE', {
    message,
    userMessage: 'The service is busy. Please try again in a moment.',
    retryAfterSeconds: BUSY_RETRY_AFTER_S,
  });
}

/** Default floor of the adaptive limit (`TEMPORAL_MIN_IN_FLIGHT`). */
export const DEFAULT_MIN_IN_FLIGHT = 200;
/** Default window of the completion rate: long enough to smooth bursts, short enough to follow a change. */
export const DEFAULT_RATE_WINDOW_MS = 5000;
/** Buckets of the rate window (a sliding window at a tenth of its length's resolution). */
const RATE_BUCKETS = 10;

/** The in-flight count and limit of one client (`createAdmission`). */
export interface Admission {
  /** Take a place, or throw UNAVAILABLE (Retry-After `BUSY_RETRY_AFTER_S`) at once when none is left. */
  enter(): void;
  /** Give the place back; `served`: the operation got an answer from Temporal (counts as throughput). */
  leave(served: boolean): void;
  /** Operations in flight now. */
  inFlight(): number;
  /** How many may be in flight now. */
  limit(): number;
  /** Operations served per second, over the rate window. */
  completionRate(): number;
}

export function createAdmission(opts: AdmissionOptions = {}): Admission {
  const {
    maxInFlight = Number.POSITIVE_INFINITY,
    maxQueueMs,
    minInFlight = DEFAULT_MIN_IN_FLIGHT,
    rateWindowMs = DEFAULT_RATE_WINDOW_MS,
    now = Date.now,
  } = opts;
  const bucketMs = Math.max(1, rateWindowMs / RATE_BUCKETS);
  // counts[i]: completions in bucket ids[i] (a bucket is `floor(time / bucketMs)`).
  const counts = new Array<number>(RATE_BUCKETS).fill(0);
  const ids = new Array<number>(RATE_BUCKETS).fill(Number.NEGATIVE_INFINITY);
  let inFlight = 0;

  function completionRate(): number {
    const t = now();
    const current = Math.floor(t / bucketMs);
    let served = 0;
    for (let i = 0; i < RATE_BUCKETS; i += 1) {
      const id = ids[i]!;
      if (id > current - RATE_BUCKETS && id <= current) served += counts[i]!;
    }
    // The window: the previous buckets in full and the current one so far.
    const windowMs = (RATE_BUCKETS - 1) * bucketMs + (t - current * bucketMs);
    return windowMs > 0 ? (served * 1000) / windowMs : 0;
  }

  function limit(): number {
    if (maxQueueMs === undefined) return maxInFlight;
    const adaptive = Math.floor((completionRate() * maxQueueMs) / 1000);
    return Math.min(maxInFlight, Math.max(minInFlight, adaptive));
  }

  return {
    enter() {
      const allowed = limit();
      if (inFlight >= allowed) {
        const rate =
          maxQueueMs === undefined ? '' : `; ${completionRate().toFixed(1)}/s served × ${maxQueueMs} ms queue, floor ${minInFlight}`;
        throw busy(`temporal: ${inFlight} operations in flight (limit ${allowed}${rate}, cap ${maxInFlight}); refused`);
      }
      inFlight += 1;
    },
    leave(served) {
      inFlight -= 1;
      if (!served) return;
      const id = Math.floor(now() / bucketMs);
      const slot = ((id % RATE_BUCKETS) + RATE_BUCKETS) % RATE_BUCKETS;
      if (ids[slot] !== id) {
        ids[slot] = id;
        counts[slot] = 0;
      }
      counts[slot] = counts[slot]! + 1;
    },
    inFlight: () => inFlight,
    limit,
    completionRate,
  };
}

/** True when `err` says the operation got no answer from Temporal (unreachable, late, refused for load). */
function isUnanswered(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'UNAVAILABLE';
  return isTemporalUnreachable(err);
}

/**
 * `within(fn, arrivedAt?)`: runs `fn` with every Temporal call inside it due by `timeoutMs` after
 * the request arrived (now, unless `arrivedAt` says it waited); a failure because Temporal was
 * unreachable or late becomes `UNAVAILABLE`. Other errors pass through. With `maxInFlight` or
 * `maxQueueMs`, an operation past the admission limit (`createAdmission`) is refused before
 * anything else happens (no await before the refusal); so is one that already waited longer
 * than `maxQueueMs` for its turn (behind earlier frames of its socket channel, each of which may
 * take up to the whole budget) unless it took its place at arrival (`admitted`): the client is
 * answered within about one budget of asking, not after several budgets in a row.
 */
export function createDeadline(client: Client, opts: DeadlineOptions | number = {}): WithinDeadline {
  const {
    timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
    admission: shared,
    ...admissionOpts
  } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const admission = shared ?? createAdmission(admissionOpts);
  const { maxQueueMs, now = Date.now } = admissionOpts;
  return async <R>(fn: (deadline: number) => Promise<R>, request: RequestTiming = {}): Promise<R> => {
    const start = now();
    const waited = request.arrivedAt === undefined ? 0 : start - request.arrivedAt;
    const own = request.admitted !== true;
    // Admitted at arrival, its wait was already bounded by the admission: it runs (within the
    // budget counted from its arrival) rather than being refused after it waited its turn.
    if (own && maxQueueMs !== undefined && waited > maxQueueMs)
      throw busy(`temporal: the request waited ${waited} ms for its turn (queue budget ${maxQueueMs} ms); refused`);
    if (own) admission.enter();
    const deadline = start - Math.max(0, waited) + timeoutMs;
    let served = false;
    try {
      const result = await client.withDeadline(deadline, () => fn(deadline));
      served = true;
      return result;
    } catch (err) {
      served = !isUnanswered(err);
      if (err instanceof AppError) throw err;
      if (isTemporalUnreachable(err)) throw temporalUnavailable(err);
      throw err;
    } finally {
      if (own) admission.leave(served);
    }
  };
}
