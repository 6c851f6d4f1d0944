/**
 * The pure parts of search (services/search/highlight.ts): which words a
 * search text looks for, the trigram fallback's substrings, and snippets cut
 * around the first match with the matched words marked as plain text.
 */
import test from 'ava';
import { highlight, partialPatterns, searchTerms } from '../../services/search/highlight.js';

test('search terms drop websearch syntax, exclusions and duplicates, lowercased', (t) => {
  t.deepEqual(searchTerms('"Refund please" -spam or REFUND, order!'), ['refund', 'please', 'order']);
  t.deepEqual(searchTerms('   '), []);
});

test('the fallback keeps a quoted phrase whole and the other words alone', (t) => {
  t.deepEqual(partialPatterns('"never arrived" parcel'), ['never arrived', 'parcel']);
});

test('a long text is cut around the first match, whole words only in word mode', (t) => {
  const text = `${'lorem '.repeat(60)}the refund arrived, refunds are fine; prefund is not a match`;
  const segments = highlight(text, ['refund'], { wholeWords: true, width: 80 });
  t.is(segments[0]!.text, '…');
  t.deepEqual(
    segments.filter((s) => s.hit).map((s) => s.text),
    ['refund', 'refund'],
  );
  t.false(
    segments.some((s) => s.hit && s.text === 'prefund'),
    'not inside a word',
  );
  t.true(segments.map((s) => s.text).join('').length <= 82);
});

test('partial mode marks the substring anywhere, and markup is returned as text', (t) => {
  t.deepEqual(highlight('<b>pineapplejuice</b>', ['apple'], { wholeWords: false }), [
    { text: '<b>pine', hit: false },
    { text: 'apple', hit: true },
    { text: 'juice</b>', hit: false },
  ]);
});
