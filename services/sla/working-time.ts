/**
 * @module services/sla/working-time
 * Durations counted in an account's working hours (services/accounts/working-hours.ts): the
 * instant a number of working milliseconds after a start, and the working milliseconds between
 * two instants. An account without a valid time zone or without working hours is always open
 * (as `nextWorkingTime` says), so both are plain arithmetic then. Pure: no I/O, no clock.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import {
  isOutsideWorkingHours,
  isValidTimeZone,
  nextWorkingTime,
  workingHoursEntries,
  type WorkingHoursAccount,
} from '../accounts/working-hours.js';

const MINUTE_MS = 60_000;
/** A working period never lasts longer than this many minutes here (a 24/7 schedule is cut into 8-day pieces). */
const MAX_PERIOD_MINUTES = 8 * 24 * 60;
/** Working periods walked before giving up (years of weekly schedules): bad data must not spin. */
const MAX_PERIODS = 2000;

/** Whether the account counts every instant as working time. */
export function isAlwaysOpen(account: WorkingHoursAccount): boolean {
  return !isValidTimeZone(account.time_zone) || workingHoursEntries(account).length === 0;
}

/**
 * The end of the working period `t` is in (`t` must be inside working hours): the first whole
 * minute after `t` that is outside them. Working hours are whole minutes, so a minute walk finds
 * it exactly; a period is cut after MAX_PERIOD_MINUTES (the caller just walks on).
 */
export function endOfWorkingPeriod(account: WorkingHoursAccount, t: number): number {
  let m = Math.floor(t / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  for (let i = 0; i < MAX_PERIOD_MINUTES; i++, m += MINUTE_MS) {
    if (isOutsideWorkingHours(account, m)) return m;
  }
  return m;
}

/** The instant `durationMs` of working time after `start` (a start outside working hours counts from the next opening). */
export function addWorkingTime(account: WorkingHoursAccount, start: number, durationMs: number): number {
  if (durationMs <= 0) return start;
  if (isAlwaysOpen(account)) return start + durationMs;
  let t = nextWorkingTime(account, start);
  let left = durationMs;
  for (let i = 0; i < MAX_PERIODS; i++) {
    // A schedule with no open minute at all: nextWorkingTime answers "now"; count it as open.
    if (isOutsideWorkingHours(account, t)) return t + left;
    const end = endOfWorkingPeriod(account, t);
    if (t + left <= end) return t + left;
    left -= end - t;
    t = nextWorkingTime(account, end);
  }
  return t + left;
}

/** The working milliseconds between `from` and `to` (0 when `to` is not after `from`). */
export function workingTimeBetween(account: WorkingHoursAccount, from: number, to: number): number {
  if (to <= from) return 0;
  if (isAlwaysOpen(account)) return to - from;
  let total = 0;
  let t = nextWorkingTime(account, from);
  for (let i = 0; i < MAX_PERIODS && t < to; i++) {
    if (isOutsideWorkingHours(account, t)) return total + (to - t);
    const end = Math.min(endOfWorkingPeriod(account, t), to);
    total += end - t;
    if (end >= to) break;
    t = nextWorkingTime(account, end);
  }
  return total;
}
