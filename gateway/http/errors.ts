/**
 * @module gateway/http/errors
 * The gateway's one error edge (docs/architecture.md#errors): AppError code → HTTP status,
 * channel reply and response body, from a single table. Handlers throw; they
 * never build error responses. Unknown errors are logged with the request id
 * and answered with a generic 500.
 */
import { databaseUnavailable, isDatabaseUnavailable } from '../../services/db/unavailable.js';
import { isAppError, type AppError, type ErrorCode } from '../../services/errors.js';
import type { Logger } from '../../services/log.js';

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_DISABLED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  GONE: 410,
  ALREADY_EXISTS: 422,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  UPSTREAM_FAILED: 502,
  INTERNAL: 500,
});

/** Failures that are not ours but have a meaning for the caller: an unreachable database is UNAVAILABLE. */
function asKnown(err: unknown): unknown {
  return !isAppError(err) && isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
}

export interface ErrorBody {
  error: { status: number; message: string; errors?: Record<string, string[]>; code?: number };
}

/**
 * Map any thrown value to a status, the original's error envelope and headers: an error that
 * says when to come back (`retryAfterSeconds`, e.g. Temporal unreachable: temporal/deadline.ts)
 * answers `Retry-After`.
 */
export function toErrorResponse(
  err: unknown,
  log: Logger,
  requestId: string,
): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  err = asKnown(err);
  if (isAppError(err)) {
    const status = HTTP_STATUS[err.code];
    const body: ErrorBody = { error: { status, message: err.userMessage } };
    if (err.fieldErrors) body.error.errors = err.fieldErrors;
    // The original's 401 for a missing token says `code`; keep both so its clients still read it.
    if (err.code === 'UNAUTHENTICATED') body.error.code = 401;
    if (status >= 500) logServerError(log, 'request failed', { requestId }, err);
    return err.retryAfterSeconds === undefined
      ? { status, body }
      : { status, body, headers: { 'retry-after': String(err.retryAfterSeconds) } };
  }
  log.error('unhandled error', { requestId, err });
  return { status: 500, body: { error: { status: 500, message: 'Internal Server Error' } } };
}

/**
 * A 5xx is an error with its stack, except a refusal that tells the client when to retry
 * (overload, Temporal or PostgreSQL unreachable): under load there are thousands of those, each
 * expected, so one warning line without a stack.
 */
function logServerError(log: Logger, msg: string, context: Record<string, unknown>, err: AppError): void {
  if (err.retryAfterSeconds !== undefined) log.warn(msg, { ...context, code: err.code, message: err.message });
  else log.error(msg, { ...context, code: err.code, err });
}

/** The `phx_reply` error response for a failed channel event. */
export function toChannelError(
  err: unknown,
  log: Logger,
  context: Record<string, unknown>,
): { reason: string; errors?: Record<string, string[]>; retry_after?: number } {
  err = asKnown(err);
  if (isAppError(err)) {
    if (HTTP_STATUS[err.code] >= 500) logServerError(log, 'channel event failed', context, err);
    return {
      reason: err.userMessage,
      ...(err.fieldErrors ? { errors: err.fieldErrors } : {}),
      ...(err.retryAfterSeconds !== undefined ? { retry_after: err.retryAfterSeconds } : {}),
    };
  }
  log.error('unhandled channel error', { ...context, err });
  return { reason: 'Internal Server Error' };
}
