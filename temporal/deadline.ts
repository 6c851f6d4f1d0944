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

/** A function that runs one operation within the budget, its deadline passed in (for retry loops). */
export type WithinDeadline = <R>(fn: (deadline: number) => Promise<R>) => Promise<R>;

/** Budget and admission of one client's operations. */
export interface DeadlineOptions {
  /** Budget of one operation (ms). */
  timeoutMs?: number;
  /**
   * Operations in flight at once through this wrapper (this process); one more is refused at
   * once with UNAVAILABLE and a short Retry-After. Past the knee, queueing more work only makes
   * every answer later: a fast, clear refusal lets clients back off instead of resending into a
   * saturated server. Undefined: no cap.
   */
  maxInFlight?: number;
}

/** Retry-After of a refusal because too much is in flight (seconds). */
export const BUSY_RETRY_AFTER_S = 1;

/**
 * `within(fn)`: runs `fn` with every Temporal call inside it due by now + `timeoutMs`; a failure
 * because Temporal was unreachable or late becomes `UNAVAILABLE`. Other errors pass through.
 */
export function createDeadline(client: Client, opts: DeadlineOptions | number = {}): WithinDeadline {
  const { timeoutMs = DEFAULT_CALL_TIMEOUT_MS, maxInFlight } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  let inFlight = 0;
  return async <R>(fn: (deadline: number) => Promise<R>): Promise<R> => {
    if (maxInFlight !== undefined && inFlight >= maxInFlight) {
      throw new AppError('UNAVAILABLE', {
        message: `temporal: ${inFlight} operations in flight (cap ${maxInFlight}); refused`,
        userMessage: 'The service is busy. Please try again in a moment.',
        retryAfterSeconds: BUSY_RETRY_AFTER_S,
      });
    }
    const deadline = Date.now() + timeoutMs;
    inFlight += 1;
    try {
      return await client.withDeadline(deadline, () => fn(deadline));
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (isTemporalUnreachable(err)) throw temporalUnavailable(err);
      throw err;
    } finally {
      inFlight -= 1;
    }
  };
}
