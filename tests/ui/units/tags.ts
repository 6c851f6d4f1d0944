/** Tags in the console, framework-free: the tag filter of a list (ui/src/lib/lists.ts) and the helpers of ui/src/lib/api-tags.ts. */
import { unitModuleTest } from '../../helpers/modules.js';
import { matchTags, safeColor, sortTags, textOn } from '../../../ui/src/lib/api-tags.js';
import { belongsTo, listKey, listQuery } from '../../../ui/src/lib/lists.js';
import type { Conversation } from '../../../ui/src/types.js';

const test = unitModuleTest(import.meta.url);

const conv = (over: Partial<Conversation>): Conversation =>
  ({ id: 'c1', status: 'open', assignee_id: null, priority: 'not_priority', inbox_id: null, ...over }) as Conversation;
const tag = (id: string, name: string) => ({ id, name, color: null });

test('a tag-filtered list asks the server for tag_id and is cached apart from the unfiltered one', (t) => {
  t.deepEqual(listQuery({ kind: 'mine', tagId: 'tag-1' }), { status: 'open', assignee_id: 'me', tag_id: 'tag-1' });
  t.deepEqual(listQuery({ kind: 'open' }), { status: 'open' });
  t.not(listKey({ kind: 'open', tagId: 'tag-1' }), listKey({ kind: 'open' }));
  t.not(listKey({ kind: 'open', tagId: 'tag-1' }), listKey({ kind: 'open', tagId: 'tag-2' }));
});

test('membership of a tag-filtered list: by the conversation’s tags when known, else the server decides', (t) => {
  const spec = { kind: 'open', tagId: 'tag-1' } as const;
  t.true(belongsTo(spec, conv({ tags: [tag('tag-1', 'billing')] as Conversation['tags'] }), 1));
  t.false(belongsTo(spec, conv({ tags: [tag('tag-2', 'bug')] as Conversation['tags'] }), 1), 'the tag was removed');
  t.false(belongsTo(spec, conv({ status: 'closed', tags: [tag('tag-1', 'billing')] as Conversation['tags'] }), 1));
  t.is(belongsTo(spec, conv({}), 1), undefined, 'tags never read');
  t.true(belongsTo({ kind: 'open' }, conv({}), 1), 'without a tag filter tags do not matter');
});

test('colours: only #rgb / #rrggbb reach a style, with readable text on them', (t) => {
  t.is(safeColor(' #DC2626 '), '#dc2626');
  t.is(safeColor('#abc'), '#abc');
  t.is(safeColor('red; background: url(x)'), null);
  t.is(safeColor(null), null);
  t.is(textOn('#ffffff'), '#000000');
  t.is(textOn('#000'), '#ffffff');
  t.is(textOn('#2563eb'), '#ffffff');
  t.is(textOn('#fde047'), '#000000');
});

test('search puts names starting with the query first; sorting follows the server (name, then id)', (t) => {
  const tags = [tag('3', 'rebilling'), tag('1', 'billing'), tag('2', 'bug'), tag('4', 'Billing-EU')];
  t.deepEqual(
    matchTags(tags, 'BIL').map((x) => x.name),
    ['billing', 'Billing-EU', 'rebilling'],
  );
  t.deepEqual(
    matchTags(tags, '').map((x) => x.name),
    ['billing', 'Billing-EU', 'bug', 'rebilling'],
  );
  t.deepEqual(
    sortTags([tag('b', 'x'), tag('a', 'x'), tag('c', 'a')]).map((x) => x.id),
    ['c', 'a', 'b'],
  );
});
