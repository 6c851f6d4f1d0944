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
    throw err;
  }
}
