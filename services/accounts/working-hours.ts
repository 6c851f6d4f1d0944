/**
 * @module services/accounts/working-hours
 * Business hours (docs/compatibility.md#working-hours), pure: no I/O, no clock, no tz library.
 * An account has an IANA `time_zone` and `working_hours`, a list of
 * `{ day, start_minute, end_minute }` with minutes since local midnight.
 * Local wall time comes from `Intl.DateTimeFormat` with `timeZone`, so daylight
 * saving transitions follow the runtime's tz database (ICU in Node).
 */

export const WORKING_DAYS = [
  'everyday',
  'weekdays',
  'weekends',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type WorkingDay = (typeof WORKING_DAYS)[number];

export interface WorkingHoursEntry {
  day: WorkingDay;
  /** Minutes since local midnight, 0–1440. */
  start_minute: number;
  end_minute: number;
}

/** The account fields this module reads; `working_hours` entries are validated here, not trusted. */
export interface WorkingHoursAccount {
  time_zone: string | null;
  working_hours: readonly unknown[];
}

/** ISO weekdays (Mon = 1 … Sun = 7) each `day` value covers, as in the original `working_hours.ex`. */
const DAY_SETS: Readonly<Record<WorkingDay, readonly number[]>> = {
  everyday: [1, 2, 3, 4, 5, 6, 7],
  weekdays: [1, 2, 3, 4, 5],
  weekends: [6, 7],
  monday: [1],
  tuesday: [2],
  wednesday: [3],
  thursday: [4],
  friday: [5],
  saturday: [6],
  sunday: [7],
};

const MINUTES_PER_DAY = 24 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;

function isWorkingDay(value: unknown): value is WorkingDay {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DAY_SETS, value);
}

function isMinute(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MINUTES_PER_DAY;
}

/** One entry, or null when it is malformed (unknown day, missing or out-of-range minutes): such entries are ignored. */
export function parseWorkingHoursEntry(value: unknown): WorkingHoursEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const { day, start_minute, end_minute } = value as Record<string, unknown>;
  if (!isWorkingDay(day) || !isMinute(start_minute) || !isMinute(end_minute)) return null;
  return { day, start_minute, end_minute };
}

/** The well-formed entries of an account, in their stored order. */
export function workingHoursEntries(account: WorkingHoursAccount): WorkingHoursEntry[] {
  const list: unknown = account.working_hours;
  if (!Array.isArray(list)) return [];
  return list.map(parseWorkingHoursEntry).filter((e): e is WorkingHoursEntry => e !== null);
}

// ---------------------------------------------------------------------------
// Local wall time via Intl

const formatters = new Map<string, Intl.DateTimeFormat | null>();
/** Bound on cached zones: time_zone is account data, so cap what a stream of odd values can pin in memory. */
const MAX_CACHED_ZONES = 1000;

/** A formatter for the zone, or null when the zone is null, blank or unknown to the runtime. */
function zoneFormatter(timeZone: string | null): Intl.DateTimeFormat | null {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') return null;
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  let fmt: Intl.DateTimeFormat | null;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12:false: the latter renders midnight as "24" in some ICU versions.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    fmt = null; // RangeError: invalid time zone
  }
  if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
  formatters.set(timeZone, fmt);
  return fmt;
}

/** True when `timeZone` is an IANA zone the runtime knows. */
export function isValidTimeZone(timeZone: string | null): boolean {
  return zoneFormatter(timeZone) !== null;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(fmt: Intl.DateTimeFormat, ms: number): WallTime {
  const w: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of fmt.formatToParts(ms)) {
    if (part.type in w) w[part.type as keyof WallTime] = Number(part.value);
  }
  return w;
}

/** The wall clock at `ms`, read as if it were UTC, in ms (same sub-second part as `ms`). */
function wallMs(fmt: Intl.DateTimeFormat, ms: number): number {
  const w = wallTime(fmt, ms);
  const subSecond = ((ms % 1000) + 1000) % 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) + subSecond;
}

/** UTC offset in ms at the instant `ms` (local = utc + offset). */
function offsetAt(fmt: Intl.DateTimeFormat, ms: number): number {
  return wallMs(fmt, ms) - ms;
}

/** ISO weekday (Mon = 1 … Sun = 7) of a civil date. */
function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

function assertInstant(ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`expected epoch milliseconds, got ${ms}`);
}

// ---------------------------------------------------------------------------

/**
 * Whether `nowMs` is outside the account's working hours, exactly as the
 * original `is_outside_working_hours`:
 * - `time_zone` null or not a valid IANA zone → false;
 * - else take the first entry whose day set contains today's local ISO weekday:
 *   outside iff `minutes < start_minute || minutes > end_minute`, with
 *   `minutes = hour * 60 + minute` (so `end_minute` is inclusive to the end of that minute);
 * - no entry for today (an empty list included) → true.
 * Malformed entries are skipped as if absent.
 */
export function isOutsideWorkingHours(account: WorkingHoursAccount, nowMs: number): boolean {
  assertInstant(nowMs);
  const fmt = zoneFormatter(account.time_zone);
  if (!fmt) return false;
  const w = wallTime(fmt, nowMs);
  const weekday = isoWeekday(w.year, w.month, w.day);
  const entry = workingHoursEntries(account).find((e) => DAY_SETS[e.day].includes(weekday));
  if (!entry) return true;
  const minutes = w.hour * 60 + w.minute;
  return minutes < entry.start_minute || minutes > entry.end_minute;
}

/**
 * Every instant at which the local wall clock reads `minuteOfDay` on the civil
 * date `year-month-day`, ascending: one normally, two when a DST fall-back
 * repeats that time. When a spring-forward skips it, the instant the clock
 * jumps over it (the first moment whose wall time is later).
 */
function instantsAtWallTime(fmt: Intl.DateTimeFormat, year: number, month: number, day: number, minuteOfDay: number): number[] {
  const target = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  // Offsets never exceed ±14 h, so the offsets a day either side cover both
  // sides of any transition near the target.
  const offsets = [...new Set([offsetAt(fmt, target - DAY_MS), offsetAt(fmt, target), offsetAt(fmt, target + DAY_MS)])];
  const exact = [...new Set(offsets.map((o) => target - o))]
    .filter((t) => Math.floor(wallMs(fmt, t) / 60_000) === Math.floor(target / 60_000))
    .sort((a, b) => a - b);
  if (exact.length > 0) return exact;
  // A gap: the wall clock is below the target at `lo` and above it at `hi`.
  // Binary-search the transition instant.
  let lo = target - Math.max(...offsets);
  let hi = target - Math.min(...offsets);
  if (lo >= hi || wallMs(fmt, hi) < target) return [];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallMs(fmt, mid) >= target) hi = mid;
    else lo = mid;
  }
  return [hi];
}

/**
 * The earliest instant ≥ `nowMs` that is inside working hours (per
 * `isOutsideWorkingHours`): `nowMs` itself when inside, else the epoch ms at
 * which the next working period starts, found day by day over the coming 8
 * days (so a weekly schedule is always covered). DST-correct: a start time
 * skipped by spring-forward yields the instant of the jump; one repeated by
 * fall-back yields its first occurrence that is still ahead.
 *
 * Returns `nowMs` (open now) when `time_zone` is null or invalid, matching
 * `isOutsideWorkingHours` (which says "inside" then), and also when no
 * well-formed entry is configured: for timers, "no working hours configured"
 * means always open, although the original's `is_outside_working_hours` would
 * call an empty list "always outside", which would wait forever. Likewise a
 * schedule with no open minute at all (every matching entry has start > end)
 * returns `nowMs` rather than never.
 */
export function nextWorkingTime(account: WorkingHoursAccount, nowMs: number): number {
  assertInstant(nowMs);
  const fmt = zoneFormatter(account.time_zone);
  if (!fmt) return nowMs;
  const entries = workingHoursEntries(account);
  if (entries.length === 0) return nowMs;
  if (!isOutsideWorkingHours(account, nowMs)) return nowMs;

  const today = wallTime(fmt, nowMs);
  let best: number | undefined;
  // From yesterday: where the clock falls back across midnight (e.g. 00:00 → 23:00),
  // yesterday's late hours repeat after `nowMs`.
  for (let offset = -1; offset <= 8; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const weekday = isoWeekday(y, m, d);
    const entry = entries.find((e) => DAY_SETS[e.day].includes(weekday));
    if (!entry) continue;
    // Whole-minute wall clock: the first minute m with start <= m <= end.
    const first = Math.ceil(entry.start_minute);
    if (first > Math.floor(entry.end_minute) || first >= MINUTES_PER_DAY) continue;
    for (const t of instantsAtWallTime(fmt, y, m, d, first)) {
      if (t > nowMs && (best === undefined || t < best) && !isOutsideWorkingHours(account, t)) best = t;
    }
    if (best !== undefined && offset >= 1) break;
  }
  return best ?? nowMs;
}
