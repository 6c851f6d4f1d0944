/**
 * @module activities/adapt
 * The activity side of the error model (docs/architecture.md#errors): permanent AppErrors
 * become non-retryable ApplicationFailures whose `type` is the error code;
 * everything else is rethrown so Temporal retries it.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { isAppError, PERMANENT_CODES } from '../services/errors.js';

export async function adapt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isAppError(err) && PERMANENT_CODES.has(err.code)) {
      throw ApplicationFailure.create({ type: err.code, message: err.userMessage, nonRetryable: true, cause: err });
    }
    // A vendor's 429 with its wait (services/integrations/crm/http.ts): the next attempt comes after it, not after our backoff.
    if (isAppError(err) && err.code === 'RATE_LIMITED' && err.retryAfterSeconds !== undefined) {
      throw ApplicationFailure.create({
        type: err.code,
        message: err.message,
        nonRetryable: false,
        nextRetryDelay: `${err.retryAfterSeconds}s`,
        cause: err,
      });
    }
    throw err;
  }
}
