/**
 * @module services/error-codes
 * The closed set of error codes (docs/architecture.md#errors), in a leaf that imports nothing so
 * that workflows (sandbox-pure) can name the same codes services do: a workflow
 * rejects an update with `ApplicationFailure` whose `type` is one of these, and the
 * gateway maps that type to a status through the one `HTTP_STATUS` table
 * (gateway/http/errors.ts), exactly as it maps an `AppError` code.
 */

export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_DISABLED',
  'FORBIDDEN',
  'NOT_FOUND',
  /** Existed but is no longer usable (an expired email-verification link, an archived conversation's run); the gateway answers 410. */
  'GONE',
  'ALREADY_EXISTS',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  /** A third-party service we called (the AI model) failed or answered badly; the gateway answers 502. */
  'UPSTREAM_FAILED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set<string>(ERROR_CODES);

/** Whether a failure's `type` (any string off the wire) is one of our codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODES.has(value);
}
