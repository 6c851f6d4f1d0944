/**
 * @module workflows/conversation/failures
 * How the conversation workflow refuses work (CONTRIBUTING.md#errors): failures carry a `type`
 * from the closed set of error codes (services/error-codes); the gateway maps the type to a
 * status and never reads the message to decide.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { ErrorCode } from '../../services/error-codes/index.js';
import { Rejection } from './state.js';

/** A non-retryable failure of type `code`. */
export function rejected(code: ErrorCode, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

/**
 * This run was archived and takes nothing more: `GONE` tells the gateway to restart the
 * conversation from PostgreSQL (a post) or answer that it is archived (anything else).
 */
export const archivedFailure = (): ApplicationFailure => rejected('GONE', 'conversation is archived');

/** Another account asked about this conversation. */
export const notFoundFailure = (): ApplicationFailure => rejected('NOT_FOUND', 'conversation not found');

/** Run a validator of state.ts: its `Rejection` becomes a failure of that code. */
export function checked(validate: () => void): void {
  try {
    validate();
  } catch (err) {
    if (err instanceof Rejection) throw rejected(err.code, err.message);
    throw err;
  }
}

/** The message of anything thrown, for logs. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error code of an activity's failure (its cause's type), for logs. */
export function failureType(err: unknown): string | undefined {
  return err instanceof Error && err.cause instanceof ApplicationFailure ? (err.cause.type ?? undefined) : undefined;
}
