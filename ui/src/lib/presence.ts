/**
 * Phoenix Presence bookkeeping (docs/compatibility.md#real-time): `presence_state` replaces the
 * whole map, `presence_diff` adds joins and removes leaves by `phx_ref`. Keys
 * are `user:<id>` for agents and `customer:<id>` for visitors. Pure functions of payloads
 * lib/wire.ts has parsed (a malformed one never gets here).
 */
import type { PresenceDiffEvent, PresenceStateEvent } from '../../../gateway/protocol/wire/index.js';
import type { PresenceMap } from '../types.js';

/** A presence map of any topic: its metas carry at least `phx_ref` (agents' topic: PresenceMap; session replay's: its own). */
type Presences<M extends { phx_ref: string }> = Record<string, { metas: M[] }>;

/** The new state from a `presence_state` payload (parsed by lib/wire.ts; keys without metas are dropped). */
export function applyPresenceState(payload: PresenceStateEvent): PresenceMap;
export function applyPresenceState<M extends { phx_ref: string }>(payload: Presences<M>): Presences<M>;
export function applyPresenceState<M extends { phx_ref: string }>(payload: Presences<M>): Presences<M> {
  const out: Presences<M> = {};
  for (const [key, value] of Object.entries(payload)) if (value.metas.length) out[key] = { metas: [...value.metas] };
  return out;
}

/** The state after a `presence_diff {joins, leaves}`. Does not modify `state`. */
export function applyPresenceDiff(state: PresenceMap, diff: PresenceDiffEvent): PresenceMap;
export function applyPresenceDiff<M extends { phx_ref: string }>(
  state: Presences<M>,
  diff: { joins: Presences<M>; leaves: Presences<M> },
): Presences<M>;
export function applyPresenceDiff<M extends { phx_ref: string }>(
  state: Presences<M>,
  diff: { joins: Presences<M>; leaves: Presences<M> },
): Presences<M> {
  const out: Presences<M> = { ...state };
  for (const [key, value] of Object.entries(diff.joins)) {
    const current = out[key]?.metas ?? [];
    const refs = new Set(current.map((m) => m.phx_ref));
    out[key] = { metas: [...current, ...value.metas.filter((m) => !refs.has(m.phx_ref))] };
  }
  for (const [key, value] of Object.entries(diff.leaves)) {
    const current = out[key];
    if (!current) continue;
    const leaving = new Set(value.metas.map((m) => m.phx_ref));
    const metas = current.metas.filter((m) => !leaving.has(m.phx_ref));
    if (metas.length) out[key] = { metas };
    else delete out[key];
  }
  return out;
}

/** Ids present under `prefix` (`user:` → agent ids as numbers, `customer:` → customer ids). */
export function presentIds(state: PresenceMap, prefix: 'user:' | 'customer:'): string[] {
  return Object.keys(state)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length));
}
