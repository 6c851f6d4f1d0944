/**
 * @module gateway/routes/send-once
 * The agent-initiated sends (`POST /api/slack/notify`, `/api/twilio/send`, `/api/gmail/send`) run
 * their one vendor call inside the transaction that claims the request's `Idempotency-Key`
 * (optional): a retry of a sent request replays the first answer (`Idempotent-Replayed: true`)
 * and a concurrent duplicate waits for it, so a send happens once per key; a failed send rolls
 * back and may be retried with the same key. The send's job id is `<operation>-<uuid>`.
 */
import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { DatabaseConnection } from 'slonik';
import type { UserRow } from '../../services/users/index.js';
import type { GatewayContext } from '../context.js';
import type { Request, Response } from '../http/router.js';
import { claimFor, complete, idempotencyKeyOf, replayed } from './idempotency.js';

/** Runs `fn` in the async context of the request, outside the send's transaction (see `sendOnce`). */
export type Outside = <T>(fn: () => Promise<T>) => Promise<T>;

export async function sendOnce(
  ctx: GatewayContext,
  req: Request,
  user: UserRow,
  operation: string,
  send: (tx: DatabaseConnection, ids: { jobId: string; sendId: string; outside: Outside }) => Promise<unknown>,
): Promise<Response> {
  // Bound here, before the transaction: work run through it is outside the transaction's context, so it may use the
  // pool (slonik refuses another connection inside a transaction) while the claim is held.
  const outside: Outside = AsyncResource.bind((fn) => fn());
  const key = idempotencyKeyOf(req, { isAnonymous: false });
  const keyScope = key ? { accountId: user.account_id, caller: `user:${user.id}`, operation, key } : undefined;
  const outcome = await ctx.pool.transaction(async (tx) => {
    let sendId: string = randomUUID();
    if (keyScope) {
      const claim = await claimFor(tx, keyScope, req);
      if (claim.kind === 'replay') return { kind: 'replay' as const, claim };
      sendId = claim.resourceId;
    }
    const body = await send(tx, { jobId: `${operation}-${sendId}`, sendId, outside });
    if (keyScope) await complete(tx, keyScope, { status: 200, body });
    return { kind: 'sent' as const, body };
  });
  if (outcome.kind === 'replay') return replayed(outcome.claim);
  return { status: 200, body: outcome.body };
}
