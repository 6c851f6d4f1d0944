/**
 * @module services/errors
 * The single error model (docs/architecture.md#errors). Services throw `AppError` with a code
 * from the closed union below; activities turn permanent codes into
 * non-retryable `ApplicationFailure`s with `type = code`, and workflows reject
 * updates the same way (the codes are in services/error-codes, a leaf they may
 * import); the gateway's error edge maps codes to HTTP statuses and channel
 * replies with one table.
 */

import type { ErrorCode } from './error-codes/index.js';

// The codes live in a leaf that workflows may import too (they reject updates with them).
export { ERROR_CODES, isErrorCode, type ErrorCode } from './error-codes/index.js';

/** Field-level validation messages, shaped like the original's changeset errors: `{ field: ["msg"] }`. */
export type FieldErrors = Record<string, string[]>;

/** Codes that mean "retrying will not help" (activities mark these non-retryable). */
export const PERMANENT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_DISABLED',
  'FORBIDDEN',
  'NOT_FOUND',
  'GONE',
  'ALREADY_EXISTS',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
]);

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Safe to show to the caller; `message` may carry internal detail for logs. */
  readonly userMessage: string;
  readonly fieldErrors: FieldErrors | undefined;
  /** When the caller may try again (seconds): HTTP answers it as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    opts: { message?: string; userMessage?: string; fieldErrors?: FieldErrors; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(opts.message ?? opts.userMessage ?? code, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = opts.userMessage ?? defaultUserMessage(code);
    this.fieldErrors = opts.fieldErrors;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** How long a caller told "temporarily unavailable" waits before trying again (seconds). */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/**
 * A dependency (Temporal, PostgreSQL) could not be reached or did not answer in time: the caller
 * gets a generic text and `Retry-After`; `what` and the cause's message go only to the log.
 */
export function temporarilyUnavailable(what: string, cause: unknown): AppError {
  return new AppError('UNAVAILABLE', {
    message: `${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
    userMessage: 'The service is temporarily unavailable. Please try again in a few seconds.',
    retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S,
    cause,
  });
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

function defaultUserMessage(code: ErrorCode): string {
  switch (code) {
    case 'BAD_REQUEST':
      return 'Bad Request';
    case 'VALIDATION_FAILED':
      return 'Unprocessable Entity';
    case 'UNAUTHENTICATED':
      return 'Not authenticated';
    case 'INVALID_CREDENTIALS':
      return 'Invalid email or password';
    case 'ACCOUNT_DISABLED':
      return 'Your account is disabled. Please contact your team admin to enable your account.';
    case 'FORBIDDEN':
      return 'Forbidden';
    case 'NOT_FOUND':
      return 'Not found';
    case 'GONE':
      return 'Gone';
    case 'ALREADY_EXISTS':
      return 'Already exists';
    case 'CONFLICT':
      return 'Conflict';
    case 'PAYLOAD_TOO_LARGE':
      return 'Payload too large';
    case 'RATE_LIMITED':
      return 'Too many requests';
    case 'UNAVAILABLE':
      return 'Service temporarily unavailable';
    case 'UPSTREAM_FAILED':
      return 'An upstream service failed';
    case 'INTERNAL':
      return 'Internal Server Error';
  }
}

/** Shorthand for a 422 with field errors. */
export function validationError(fieldErrors: FieldErrors, userMessage = 'Unprocessable Entity'): AppError {
  return new AppError('VALIDATION_FAILED', { userMessage, fieldErrors });
}
