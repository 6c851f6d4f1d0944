/**
 * @module gateway/routes/idempotency
 * The `Idempotency-Key` header of creation routes (issue #16;
 * services/idempotency): which key a request carries, whom it is scoped to,
 * and the answer a replay gets (the first answer, marked `Idempotent-Replayed: true`).
 */
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_HEADER,
  parseIdempotencyKey,
  requestFingerprint,
  type IdempotencyClaim,
  type IdempotencyScope,
} from '../../services/idempotency/index.js';
import type { DatabaseConnection } from 'slonik';
import type { Request, Response } from '../http/router.js';

export type { IdempotencyScope };

/** The request's `Idempotency-Key` (validated), or undefined when it sent none. */
export function idempotencyKeyOf(req: Request, opts: { isAnonymous: boolean }): string | undefined {
  return parseIdempotencyKey(req.headers[IDEMPOTENCY_HEADER], opts);
}

/** Claim the key for this request's body (see services/idempotency `claimIdempotencyKey`). */
export function claimFor(connection: DatabaseConnection, scope: IdempotencyScope, req: Request): Promise<IdempotencyClaim> {
  return claimIdempotencyKey(connection, scope, requestFingerprint(req.body ?? null));
}

/** Store the answer under the key. */
export function complete(
  connection: DatabaseConnection,
  scope: IdempotencyScope,
  response: { status: number; body: unknown },
): Promise<void> {
  return completeIdempotencyKey(connection, scope, response);
}

/** The replayed answer of a finished key. */
export function replayed(claim: Extract<IdempotencyClaim, { kind: 'replay' }>, headers: Record<string, string> = {}): Response {
  return { status: claim.status, headers: { ...headers, 'idempotent-replayed': 'true' }, body: claim.body };
}
