/**
 * Small type guards for what the server pushes or replies on the socket: the
 * checks the stores rely on before they treat a payload as a typed value. The
 * full wire schema (shared with the gateway) is a later step; until then these
 * guards replace casts, so a malformed payload is ignored instead of spread
 * into the stores.
 */
import type { Message } from '../types.js';

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A message as pushed on `shout` or replied to the agent's own `shout`
 * (docs/compatibility.md#real-time): an object with string `id` and `conversation_id`, the
 * keys by which the stores file it.
 */
export function isMessage(value: unknown): value is Message {
  return isRecord(value) && typeof value.id === 'string' && typeof value.conversation_id === 'string';
}
