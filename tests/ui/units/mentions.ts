/** @mentions in the console (ui/src/lib/mentions.ts, pure functions). */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  applyMention,
  hasUnseenMention,
  mentionedIdsIn,
  mentionQueryAt,
  mentionsMe,
  suggestTeammates,
  withLiveMention,
} from '../../../ui/src/lib/mentions.js';

const test = unitModuleTest(import.meta.url);

const user = (id: number, email: string, display_name: string | null = null, over: object = {}) => ({
  id,
  email,
  display_name,
  full_name: null,
  disabled_at: null,
  archived_at: null,
  ...over,
});
const team = [
  user(1, 'me@x.io', 'Me'),
  user(2, 'bea@x.io', 'Bea Jones'),
  user(3, 'cal@x.io', 'Cal'),
  user(4, 'abe@x.io', 'Abe'),
  user(5, 'old@x.io', 'Bee Gone', { disabled_at: '2026-01-01T00:00:00Z' }),
  user(6, 'arch@x.io', 'Bex Archived', { archived_at: '2026-01-01T00:00:00Z' }),
  user(7, 'zed.bell@x.io'),
];

test('the @query is found at the caret: after a space or at the start, never inside an email address', (t) => {
  t.deepEqual(mentionQueryAt('@', 1), { start: 0, query: '' });
  t.deepEqual(mentionQueryAt('hi @be', 6), { start: 3, query: 'be' });
  t.deepEqual(mentionQueryAt('hi @be and more', 6), { start: 3, query: 'be' }, 'only up to the caret');
  t.is(mentionQueryAt('mail a@b.c', 10), null, 'an email address');
  t.is(mentionQueryAt('hi @bea jones', 13), null, 'a space ends the query');
  t.is(mentionQueryAt('no at sign', 10), null);
  t.deepEqual(mentionQueryAt('line\n@c', 7), { start: 5, query: 'c' }, 'after a line break');
});

test('teammates are suggested by name or email, prefix matches first, never me, disabled or archived users', (t) => {
  const ids = (q: string) => suggestTeammates(team, q, 1).map((u) => u.id);
  t.deepEqual(ids(''), [4, 2, 3, 7], 'everyone else, alphabetically by label');
  t.deepEqual(ids('b'), [2, 7, 4], 'Bea and zed.bell start with b (a word of the email), Abe contains it');
  t.deepEqual(ids('JON'), [2], 'a later word of the name, any case');
  t.deepEqual(ids('cal@'), [3], 'by email');
  t.deepEqual(ids('me'), [], 'not myself');
  t.deepEqual(ids('bee'), [], 'not a disabled user');
  t.deepEqual(ids('bex'), [], 'not an archived user');
  t.is(suggestTeammates(team, '', 1, 2).length, 2, 'bounded');
});

test('choosing replaces the @query with @Name and a space, caret after it', (t) => {
  t.deepEqual(applyMention('hi @be', { start: 3, query: 'be' }, 'Bea Jones'), { text: 'hi @Bea Jones ', caret: 14 });
  t.deepEqual(applyMention('@c please', { start: 0, query: 'c' }, 'Cal'), { text: '@Cal please', caret: 5 });
});

test('only chosen mentions still in the body are sent, once each', (t) => {
  const chosen = [
    { id: 2, label: 'Bea Jones' },
    { id: 3, label: 'Cal' },
    { id: 2, label: 'Bea Jones' },
  ];
  t.deepEqual(mentionedIdsIn('@Bea Jones and @Cal', chosen), [2, 3]);
  t.deepEqual(mentionedIdsIn('@Bea Jones only', chosen), [2], 'Cal was deleted from the text');
  t.deepEqual(mentionedIdsIn('Bea Jones without the at sign', chosen), []);
});

test('a live note mentioning me adds one unseen mention; seen ones and other people’s do not count', (t) => {
  const note = { id: 'm1', mentioned_user_ids: [1, 3], user_id: 2, created_at: '2026-01-01T00:00:00Z' };
  t.true(mentionsMe(note, 1));
  t.false(mentionsMe({ ...note, user_id: 1 }, 1), 'my own note');
  t.false(mentionsMe({ ...note, mentioned_user_ids: undefined }, 1));
  const conv = { id: 'c1', account_id: 'a1', mentions: [] };
  const added = withLiveMention(conv, note, 1);
  t.is(added.mentions?.length, 1);
  t.like(added.mentions?.[0], { user_id: 1, message_id: 'm1', conversation_id: 'c1', seen_at: null, object: 'mention' });
  t.deepEqual(withLiveMention({ ...conv, mentions: added.mentions! }, note, 1), {}, 'added once');
  t.deepEqual(withLiveMention(conv, note, 2), {}, 'not for the author');
  t.true(hasUnseenMention({ mentions: added.mentions! }, 1));
  t.false(hasUnseenMention({ mentions: added.mentions! }, 3), 'only mine count');
  t.false(hasUnseenMention({ mentions: [{ ...added.mentions![0]!, seen_at: '2026-01-02T00:00:00Z' }] }, 1));
  t.false(hasUnseenMention(undefined, 1));
});
