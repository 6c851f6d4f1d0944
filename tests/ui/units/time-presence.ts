/** Time and duration formatting, snooze presets and presence bookkeeping of the console (pure functions). */
import { unitModuleTest } from '../../helpers/modules.js';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { applyPresenceDiff, applyPresenceState, presentIds } from '../../../ui/src/lib/presence.js';
import { parseAccountEvent } from '../../../ui/src/lib/wire.js';
import { formatDuration, formatListTime, formatMessageTime, snoozeUntil } from '../../../ui/src/lib/time.js';

const test = unitModuleTest(import.meta.url);

const now = new Date(2026, 4, 13, 15, 30); // Wednesday 13 May 2026, 15:30 local

test('list times are compact and relative', (t) => {
  const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
  t.is(formatListTime(ago(10_000), now, 'en-US'), 'now');
  t.is(formatListTime(ago(5 * 60_000), now, 'en-US'), '5m');
  t.is(formatListTime(ago(3 * 3600_000), now, 'en-US'), '3h');
  t.is(formatListTime(new Date(2026, 4, 12, 9).toISOString(), now, 'en-US'), 'Yesterday');
  t.is(formatListTime(new Date(2026, 4, 10, 9).toISOString(), now, 'en-US'), 'Sun');
  t.is(formatListTime(new Date(2026, 0, 3, 9).toISOString(), now, 'en-US'), 'Jan 3');
  t.is(formatListTime(new Date(2024, 0, 3, 9).toISOString(), now, 'en-US'), 'Jan 3, 2024');
  t.is(formatListTime(null, now), '');
  t.is(formatListTime('not a date', now), '');
});

test('message times show the clock, with the day when it is not today', (t) => {
  t.regex(formatMessageTime(new Date(2026, 4, 13, 9, 5).toISOString(), now, 'en-GB'), /^09:05$/);
  t.regex(formatMessageTime(new Date(2026, 4, 12, 9, 5).toISOString(), now, 'en-GB'), /^Yesterday 09:05$/);
  t.regex(formatMessageTime(new Date(2026, 1, 2, 9, 5).toISOString(), now, 'en-GB'), /^2 Feb, 09:05$/);
});

test('snooze presets: one hour, tomorrow 9:00, next Monday 9:00', (t) => {
  t.is(snoozeUntil('1h', now).getTime(), now.getTime() + 3600_000);
  t.deepEqual(snoozeUntil('tomorrow', now), new Date(2026, 4, 14, 9, 0));
  t.deepEqual(snoozeUntil('next_week', now), new Date(2026, 4, 18, 9, 0));
  const monday = new Date(2026, 4, 18, 8, 0);
  t.deepEqual(snoozeUntil('next_week', monday), new Date(2026, 4, 25, 9, 0), 'on a Monday, next week means the following Monday');
});

test('report durations are short and keep the unit below the largest', (t) => {
  t.is(formatDuration(44.6), '45s');
  t.is(formatDuration(180), '3m 0s');
  t.is(formatDuration(516), '8m 36s');
  t.is(formatDuration(5040), '1h 24m');
  t.is(formatDuration(2 * 86400 + 3 * 3600 + 59), '2d 3h');
  t.is(formatDuration(0), '0s');
  t.is(formatDuration(null), '—');
  t.is(formatDuration(Number.NaN), '—');
});

test('presence: state replaces, diff joins and leaves by phx_ref', (t) => {
  const meta = (phx_ref: string) => ({ phx_ref, online_at: '1767225600' });
  let state = applyPresenceState({ 'user:1': { metas: [meta('a')] }, 'customer:c1': { metas: [meta('b')] } });
  t.deepEqual(presentIds(state, 'user:'), ['1']);
  state = applyPresenceDiff(state, {
    joins: { 'user:2': { metas: [meta('c')] }, 'user:1': { metas: [meta('d')] } },
    leaves: {},
  });
  t.deepEqual(presentIds(state, 'user:').sort(), ['1', '2']);
  t.is(state['user:1']!.metas.length, 2, 'a second tab of the same agent');
  state = applyPresenceDiff(state, {
    joins: {},
    leaves: { 'user:1': { metas: [meta('a')] }, 'customer:c1': { metas: [meta('b')] } },
  });
  t.deepEqual(presentIds(state, 'user:').sort(), ['1', '2'], 'still online in the other tab');
  t.deepEqual(presentIds(state, 'customer:'), []);
  // Malformed payloads are dropped where the socket's events are parsed (ui/src/lib/wire.ts), before presence sees them.
  t.is(parseAccountEvent(EVENTS.presenceState, 'garbage'), undefined);
  t.is(parseAccountEvent(EVENTS.presenceDiff, null), undefined);
  t.deepEqual(parseAccountEvent(EVENTS.presenceState, { 'user:1': { metas: [meta('a')] } }), {
    event: EVENTS.presenceState,
    payload: { 'user:1': { metas: [meta('a')] } },
  });
});
