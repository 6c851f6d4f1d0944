/**
 * Working hours (docs/compatibility.md#working-hours): `isOutsideWorkingHours` reproduces the
 * original, `nextWorkingTime` finds when they next open, across DST changes.
 * Pure: no services needed.
 */
import test from 'ava';
import {
  isOutsideWorkingHours,
  isValidTimeZone,
  nextWorkingTime,
  type WorkingHoursAccount,
} from '../../services/accounts/working-hours.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const nineToFive = (day: string): Record<string, unknown> => ({ day, start_minute: 9 * 60, end_minute: 17 * 60 });
const account = (time_zone: string | null, working_hours: unknown[]): WorkingHoursAccount => ({ time_zone, working_hours });

// 2024-01-08 is a Monday; 2024-01-13 a Saturday, 2024-01-14 a Sunday.
const utcWeekdays = account('UTC', [nineToFive('weekdays')]);

test('a null time zone is never outside working hours and opens now', (t) => {
  const a = account(null, [nineToFive('monday')]);
  const now = at('2024-01-14T03:00:00Z');
  t.false(isOutsideWorkingHours(a, now));
  t.is(nextWorkingTime(a, now), now);
});

test('an invalid time zone is never outside working hours and opens now', (t) => {
  for (const tz of ['Mars/Olympus_Mons', '', 'not a zone']) {
    const a = account(tz, [nineToFive('monday')]);
    const now = at('2024-01-14T03:00:00Z');
    t.false(isOutsideWorkingHours(a, now), tz);
    t.is(nextWorkingTime(a, now), now, tz);
    t.false(isValidTimeZone(tz));
  }
  t.true(isValidTimeZone('Europe/Berlin'));
});

test('an empty list is outside working hours like the original, but nextWorkingTime treats it as always open', (t) => {
  const a = account('Europe/Berlin', []);
  const now = at('2024-01-10T12:00:00Z');
  t.true(isOutsideWorkingHours(a, now));
  t.is(nextWorkingTime(a, now), now);
});

test('minute boundaries: start is inside, end is inside to the end of its minute', (t) => {
  t.true(isOutsideWorkingHours(utcWeekdays, at('2024-01-08T08:59:59.999Z')));
  t.false(isOutsideWorkingHours(utcWeekdays, at('2024-01-08T09:00:00Z')));
  t.false(isOutsideWorkingHours(utcWeekdays, at('2024-01-08T17:00:00Z')));
  t.false(isOutsideWorkingHours(utcWeekdays, at('2024-01-08T17:00:59.999Z')));
  t.true(isOutsideWorkingHours(utcWeekdays, at('2024-01-08T17:01:00Z')));
});

test('end_minute 1440 keeps the last minute of the day open', (t) => {
  const a = account('UTC', [{ day: 'everyday', start_minute: 0, end_minute: 1440 }]);
  t.false(isOutsideWorkingHours(a, at('2024-01-08T23:59:30Z')));
  t.false(isOutsideWorkingHours(a, at('2024-01-09T00:00:00Z')));
});

test('weekdays cover Monday to Friday only', (t) => {
  t.false(isOutsideWorkingHours(utcWeekdays, at('2024-01-12T12:00:00Z'))); // Friday
  t.true(isOutsideWorkingHours(utcWeekdays, at('2024-01-13T12:00:00Z'))); // Saturday
  t.true(isOutsideWorkingHours(utcWeekdays, at('2024-01-14T12:00:00Z'))); // Sunday
});

test('weekends cover Saturday and Sunday only', (t) => {
  const a = account('UTC', [nineToFive('weekends')]);
  t.false(isOutsideWorkingHours(a, at('2024-01-13T12:00:00Z')));
  t.false(isOutsideWorkingHours(a, at('2024-01-14T12:00:00Z')));
  t.true(isOutsideWorkingHours(a, at('2024-01-15T12:00:00Z')));
});

test('everyday covers every day', (t) => {
  const a = account('UTC', [nineToFive('everyday')]);
  for (let d = 8; d <= 14; d++) t.false(isOutsideWorkingHours(a, at(`2024-01-${String(d).padStart(2, '0')}T12:00:00Z`)));
});

test('the first entry that covers today decides, even when a later one would allow the time', (t) => {
  const a = account('UTC', [{ day: 'everyday', start_minute: 0, end_minute: 60 }, nineToFive('monday')]);
  t.true(isOutsideWorkingHours(a, at('2024-01-08T10:00:00Z')));
  t.false(isOutsideWorkingHours(a, at('2024-01-08T00:30:00Z')));
  // The first entry decides the opening time too: Monday opens at 00:00, not 09:00.
  t.is(iso(nextWorkingTime(a, at('2024-01-08T10:00:00Z'))), '2024-01-09T00:00:00.000Z');
});

test('malformed entries are ignored', (t) => {
  const a = account('UTC', [
    null,
    'monday',
    { day: 'funday', start_minute: 0, end_minute: 1440 },
    { day: 'monday', start_minute: '0', end_minute: 1440 },
    { day: 'monday', start_minute: -10, end_minute: 1440 },
    { day: 'monday', start_minute: 0, end_minute: 5000 },
    { day: 'monday', start_minute: 0 },
    nineToFive('monday'),
  ]);
  t.true(isOutsideWorkingHours(a, at('2024-01-08T08:00:00Z')));
  t.false(isOutsideWorkingHours(a, at('2024-01-08T10:00:00Z')));
  t.is(iso(nextWorkingTime(a, at('2024-01-08T08:00:00Z'))), '2024-01-08T09:00:00.000Z');
});

test('a non-array working_hours value is treated as an empty list', (t) => {
  const a = { time_zone: 'UTC', working_hours: { day: 'monday' } as unknown as unknown[] };
  t.true(isOutsideWorkingHours(a, at('2024-01-08T10:00:00Z')));
  t.is(nextWorkingTime(a, at('2024-01-08T10:00:00Z')), at('2024-01-08T10:00:00Z'));
});

test('a list with no well-formed entry, or no open minute, opens now rather than never', (t) => {
  const now = at('2024-01-08T10:00:00Z');
  const malformed = account('UTC', [{ day: 'someday', start_minute: 0, end_minute: 10 }]);
  t.true(isOutsideWorkingHours(malformed, now));
  t.is(nextWorkingTime(malformed, now), now);
  const inverted = account('UTC', [{ day: 'everyday', start_minute: 1000, end_minute: 100 }]);
  t.true(isOutsideWorkingHours(inverted, now));
  t.is(nextWorkingTime(inverted, now), now);
});

test('local time follows the account time zone', (t) => {
  const ny = account('America/New_York', [nineToFive('weekdays')]);
  t.true(isOutsideWorkingHours(ny, at('2024-01-08T13:59:00Z'))); // 08:59 EST
  t.false(isOutsideWorkingHours(ny, at('2024-01-08T14:00:00Z'))); // 09:00 EST
  // 23:30 UTC Friday is 18:30 EST Friday: after hours; 03:00 UTC Saturday is still Friday in New York.
  t.true(isOutsideWorkingHours(ny, at('2024-01-12T23:30:00Z')));
  const tokyo = account('Asia/Tokyo', [nineToFive('monday')]);
  t.false(isOutsideWorkingHours(tokyo, at('2024-01-08T01:00:00Z'))); // Monday 10:00 JST
  t.true(isOutsideWorkingHours(tokyo, at('2024-01-07T23:00:00Z'))); // Monday 08:00 JST
});

test('nextWorkingTime returns now when inside working hours', (t) => {
  const now = at('2024-01-08T12:34:56.789Z');
  t.is(nextWorkingTime(utcWeekdays, now), now);
  const endMinute = at('2024-01-08T17:00:30Z');
  t.is(nextWorkingTime(utcWeekdays, endMinute), endMinute);
});

test('nextWorkingTime before opening returns today at the start minute', (t) => {
  t.is(iso(nextWorkingTime(utcWeekdays, at('2024-01-08T07:15:00Z'))), '2024-01-08T09:00:00.000Z');
});

test('nextWorkingTime after closing on Friday skips the weekend', (t) => {
  t.is(iso(nextWorkingTime(utcWeekdays, at('2024-01-12T17:01:00Z'))), '2024-01-15T09:00:00.000Z');
  t.is(iso(nextWorkingTime(utcWeekdays, at('2024-01-13T12:00:00Z'))), '2024-01-15T09:00:00.000Z');
});

test('nextWorkingTime finds a weekly slot up to a week ahead', (t) => {
  const a = account('UTC', [nineToFive('monday')]);
  // Monday 17:01 → next Monday 09:00.
  t.is(iso(nextWorkingTime(a, at('2024-01-08T17:01:00Z'))), '2024-01-15T09:00:00.000Z');
});

test('nextWorkingTime across the spring-forward weekend in Europe/Berlin opens at 09:00 CEST', (t) => {
  const berlin = account('Europe/Berlin', [nineToFive('weekdays')]);
  // Friday 2024-03-29 18:00 CET; clocks go forward on Sunday 2024-03-31.
  const next = nextWorkingTime(berlin, at('2024-03-29T17:00:00Z'));
  t.is(iso(next), '2024-04-01T07:00:00.000Z'); // Monday 09:00 CEST = 07:00 UTC
  t.false(isOutsideWorkingHours(berlin, next));
  t.true(isOutsideWorkingHours(berlin, next - 1));
});

test('nextWorkingTime across the fall-back weekend in America/New_York opens at 09:00 EST', (t) => {
  const ny = account('America/New_York', [nineToFive('weekdays')]);
  // Friday 2024-11-01 18:00 EDT; clocks go back on Sunday 2024-11-03.
  t.is(iso(nextWorkingTime(ny, at('2024-11-01T22:00:00Z'))), '2024-11-04T14:00:00.000Z'); // 09:00 EST
});

test('a start time skipped by spring-forward opens at the moment the clock jumps', (t) => {
  // Europe/Berlin 2024-03-31: 02:00 CET jumps to 03:00 CEST at 01:00 UTC; 02:30 never happens.
  const berlin = account('Europe/Berlin', [{ day: 'everyday', start_minute: 150, end_minute: 600 }]);
  const now = at('2024-03-31T00:30:00Z'); // 01:30 CET
  t.true(isOutsideWorkingHours(berlin, now));
  const next = nextWorkingTime(berlin, now);
  t.is(iso(next), '2024-03-31T01:00:00.000Z'); // 03:00 CEST
  t.false(isOutsideWorkingHours(berlin, next));
});

test('a start time repeated by fall-back opens at its next occurrence', (t) => {
  // America/New_York 2024-11-03: 01:00–02:00 happens twice (EDT, then EST from 06:00 UTC).
  const ny = account('America/New_York', [{ day: 'sunday', start_minute: 90, end_minute: 100 }]);
  t.is(iso(nextWorkingTime(ny, at('2024-11-03T04:00:00Z'))), '2024-11-03T05:30:00.000Z'); // 01:30 EDT
  // 01:45 EDT: the first 01:30–01:40 is over, the second (EST) is still ahead.
  t.is(iso(nextWorkingTime(ny, at('2024-11-03T05:45:00Z'))), '2024-11-03T06:30:00.000Z'); // 01:30 EST
  t.false(isOutsideWorkingHours(ny, at('2024-11-03T06:35:00Z')));
});

test('nextWorkingTime rejects a non-finite instant', (t) => {
  t.throws(() => nextWorkingTime(utcWeekdays, Number.NaN), { instanceOf: RangeError });
  t.throws(() => isOutsideWorkingHours(utcWeekdays, Number.POSITIVE_INFINITY), { instanceOf: RangeError });
});

test('nextWorkingTime is the earliest open instant not before now (sampled over a year and several zones)', (t) => {
  // Deterministic PRNG (mulberry32), so a failure is reproducible.
  let seed = 0x5eed;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'America/Santiago', 'UTC'];
  const schedules: unknown[][] = [
    [nineToFive('weekdays')],
    [{ day: 'saturday', start_minute: 120, end_minute: 200 }],
    [{ day: 'everyday', start_minute: 0, end_minute: 30 }],
    [nineToFive('monday'), { day: 'weekends', start_minute: 600, end_minute: 660 }],
  ];
  const start = at('2024-01-01T00:00:00Z');
  const step = 15 * 60_000;
  let checked = 0;
  for (const tz of zones) {
    for (const working_hours of schedules) {
      const a = account(tz, working_hours);
      for (let i = 0; i < 12; i++) {
        const now = start + Math.floor(random() * 366 * 24 * 60) * 60_000 + Math.floor(random() * 60_000);
        const next = nextWorkingTime(a, now);
        const label = `${tz} ${JSON.stringify(working_hours)} from ${iso(now)} → ${iso(next)}`;
        t.true(next >= now, label);
        t.false(isOutsideWorkingHours(a, next), label);
        if (next > now) {
          t.true(isOutsideWorkingHours(a, next - 1), label);
          for (let probe = now; probe < next; probe += step) t.true(isOutsideWorkingHours(a, probe), `${label} open at ${iso(probe)}`);
        }
        checked++;
      }
    }
  }
  t.is(checked, zones.length * schedules.length * 12);
});

test('nextWorkingTime stays correct right around DST transitions, midnight and half-hour ones included', (t) => {
  const cases: Array<[string, string]> = [
    ['Europe/Berlin', '2024-03-31T00:00:00Z'],
    ['Europe/Berlin', '2024-10-27T00:00:00Z'],
    ['America/New_York', '2024-03-10T05:00:00Z'],
    ['America/New_York', '2024-11-03T04:00:00Z'],
    ['America/Santiago', '2024-04-06T22:00:00Z'], // 00:00 → 23:00 the day before
    ['America/Santiago', '2024-09-08T00:00:00Z'], // 00:00 → 01:00
    ['Australia/Lord_Howe', '2024-04-06T12:00:00Z'], // 02:00 → 01:30
    ['Australia/Lord_Howe', '2024-10-05T12:00:00Z'], // 02:00 → 02:30
  ];
  const schedules: unknown[][] = [
    [{ day: 'everyday', start_minute: 0, end_minute: 30 }],
    [{ day: 'everyday', start_minute: 23 * 60 + 30, end_minute: 1440 }],
    [{ day: 'everyday', start_minute: 60, end_minute: 75 }],
    [{ day: 'everyday', start_minute: 120, end_minute: 160 }],
    [
      { day: 'sunday', start_minute: 90, end_minute: 100 },
      { day: 'saturday', start_minute: 1380, end_minute: 1439 },
    ],
  ];
  for (const [tz, from] of cases) {
    for (const working_hours of schedules) {
      const a = account(tz, working_hours);
      for (let now = at(from) - 12 * 3600_000; now < at(from) + 36 * 3600_000; now += 41 * 60_000) {
        const next = nextWorkingTime(a, now);
        const label = `${tz} ${JSON.stringify(working_hours)} from ${iso(now)} → ${iso(next)}`;
        t.true(next >= now, label);
        t.false(isOutsideWorkingHours(a, next), label);
        if (next > now) t.true(isOutsideWorkingHours(a, next - 1), label);
        // Every open window above lasts at least 11 minutes, so 10-minute probes cannot step over one.
        for (let probe = now; probe < next && probe < now + 86_400_000; probe += 10 * 60_000) {
          if (!isOutsideWorkingHours(a, probe)) t.fail(`${label} but open at ${iso(probe)}`);
        }
      }
    }
  }
});
