/**
 * @module widget/chat/availability
 * Whether anyone is there to answer: agents online in the account's presence
 * room (`room:<account_id>`, keys `user:<id>`) and the account's working hours
 * (widget settings, docs/compatibility.md#working-hours). The original always said "online"
 * (Q13). Pure.
 */

/** `presence` is the phoenix Presence list of keys, or null when the room could not be joined. */
export function isAgentAvailable(input: { presenceKeys: readonly string[] | null; isOutsideWorkingHours: boolean }): boolean {
  if (input.isOutsideWorkingHours) return false;
  // Without presence (room not available on this server) only working hours decide.
  if (input.presenceKeys === null) return true;
  return input.presenceKeys.some((k) => k.startsWith('user:'));
}
