/**
 * Phoenix Presence bookkeeping (docs/compatibility.md#real-time): `presence_state` replaces the
 * whole map, `presence_diff` adds joins and removes leaves by `phx_ref`. Keys
 * are `user:<id>` for agents and `customer:<id>` for visitors. Pure functions.
 */
import type { PresenceMap } from '../types.js';

type Metas = Array<Record<string, unknown>>;

function isPresenceMap(value: unknown): value is PresenceMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((v) => v !== null && typeof v === 'object' && Array.isArray((v as { metas?: unknown }).metas));
}

/** The new state from a `presence_state` payload (invalid payloads give an empty map). */
export function applyPresenceState(payload: unknown): PresenceMap {
  if (!isPresenceMap(payload)) return {};
  const out: PresenceMap = {};
  for (const [key, value] of Object.entries(payload)) if (value.metas.length) out[key] = { metas: [...value.metas] };
  return out;
}

/** The state after a `presence_diff {joins, leaves}`. Does not modify `state`. */
export function applyPresenceDiff(state: PresenceMap, payload: unknown): PresenceMap {
  const diff = (payload ?? {}) as { joins?: unknown; leaves?: unknown };
  const joins = isPresenceMap(diff.joins) ? diff.joins : {};
  const leaves = isPresenceMap(diff.leaves) ? diff.leaves : {};
  const out: PresenceMap = { ...state };
  for (const [key, value] of Object.entries(joins)) {
    const current: Metas = out[key]?.metas ?? [];
    const refs = new Set(current.map((m) => m.phx_ref));
    out[key] = { metas: [...current, ...value.metas.filter((m) => !refs.has(m.phx_ref))] };
  }
  for (const [key, value] of Object.entries(leaves)) {
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
