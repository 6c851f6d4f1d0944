/**
 * Time formatting for lists and messages, and snooze presets. Pure: the
 * current time and locale are parameters, so tests are deterministic.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Parse an ISO timestamp; null for missing or invalid values. */
export function parseTime(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Compact age for list rows: "now", "5m", "3h", "Yesterday", "Mon", "Jan 3", "Jan 3, 2024". */
export function formatListTime(iso: string | null | undefined, now: Date = new Date(), locale?: string): string {
  const d = parseTime(iso);
  if (!d) return '';
  const diff = now.getTime() - d.getTime();
  if (diff < MINUTE) return 'now';
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)}m`;
  if (sameDay(d, now)) return `${Math.floor(diff / HOUR)}h`;
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (sameDay(d, yesterday)) return 'Yesterday';
  if (diff < 6 * DAY) return d.toLocaleDateString(locale, { weekday: 'short' });
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString(locale, { month: 'short', day: 'numeric' });
  return d.toLocaleDateString(locale, { month: 'short', day: 'numeric', year: 'numeric' });
}

/** Message timestamp: "14:05" today, "Yesterday 14:05", else "Jan 3, 14:05". */
export function formatMessageTime(iso: string | null | undefined, now: Date = new Date(), locale?: string): string {
  const d = parseTime(iso);
  if (!d) return '';
  const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (sameDay(d, now)) return time;
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (sameDay(d, yesterday)) return `Yesterday ${time}`;
  const opts: Intl.DateTimeFormatOptions =
    d.getFullYear() === now.getFullYear() ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', year: 'numeric' };
  return `${d.toLocaleDateString(locale, opts)}, ${time}`;
}

/** Full date and time for tooltips. */
export function formatFullTime(iso: string | null | undefined, locale?: string): string {
  const d = parseTime(iso);
  return d ? d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

export type SnoozePreset = '1h' | 'tomorrow' | 'next_week';

export const SNOOZE_LABELS: Record<SnoozePreset, string> = {
  '1h': 'For 1 hour',
  tomorrow: 'Until tomorrow 9:00',
  next_week: 'Until next Monday 9:00',
};

/** When a snooze preset ends, in the agent's local time: now + 1 h, tomorrow 09:00, or next Monday 09:00. */
export function snoozeUntil(preset: SnoozePreset, now: Date = new Date()): Date {
  if (preset === '1h') return new Date(now.getTime() + HOUR);
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9, 0, 0, 0);
  if (preset === 'tomorrow') {
    d.setDate(d.getDate() + 1);
    return d;
  }
  // Next Monday (a week from today when today is Monday).
  const daysAhead = (8 - d.getDay()) % 7 || 7;
  d.setDate(d.getDate() + daysAhead);
  return d;
}

/** Seconds as a short human duration ("45s", "3m 0s", "1h 24m", "2d 3h"); "—" when there is none. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
