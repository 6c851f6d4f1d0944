/**
 * @module gateway/channels/replies
 * Channel replies in one place: ok, the error edge for thrown AppErrors
 * (docs/architecture.md#errors, through `toChannelError`), unknown events.
 */
import type { GatewayContext } from '../context.js';
import { toChannelError } from '../http/errors.js';
import type { HandleResult, JsonObject } from '../socket/types.js';

export function ok(response: JsonObject = {}): HandleResult {
  return { reply: 'ok', response };
}

export function unknownEvent(event: string): HandleResult {
  return { reply: 'error', response: { reason: `unknown event ${event}` } };
}

/** The response of an error reply for `err` (the one error edge, which also logs it). */
export function errorResponse(ctx: GatewayContext, err: unknown, context: Record<string, unknown>): JsonObject {
  const { reason, errors, retry_after } = toChannelError(err, ctx.log, context);
  const response: JsonObject = { reason };
  if (errors) response.errors = errors;
  if (retry_after !== undefined) response.retry_after = retry_after;
  return response;
}

/** Run `fn`; a thrown error becomes the error reply of the one error edge. */
export async function replyWith(
  ctx: GatewayContext,
  context: Record<string, unknown>,
  fn: () => Promise<HandleResult>,
): Promise<HandleResult> {
  try {
    return await fn();
  } catch (err) {
    return { reply: 'error', response: errorResponse(ctx, err, context) };
  }
}

/**
 * Whether a frame got an answer the node's admission counts as served work: any reply but a
 * refusal that says when to retry (the node could not do the work), and not no reply at all.
 */
export function wasAnswered(result: HandleResult): boolean {
  return result !== undefined && (result.reply === 'ok' || result.response?.retry_after === undefined);
}
