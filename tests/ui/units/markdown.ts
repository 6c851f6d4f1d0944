/** The console's markdown parser (ui/src/lib/markdown.ts): a token tree, never HTML; unsafe links become text. */
import { unitModuleTest } from '../../helpers/modules.js';
import { parseInline, parseMarkdown, plainText, safeHref } from '../../../ui/src/lib/markdown.js';

const test = unitModuleTest(import.meta.url);

test('bold, italic, inline code and links become tokens', (t) => {
  t.deepEqual(parseInline('**hi** *there* `x<y` [docs](https://example.com/a?b=1)'), [
    { type: 'strong', children: [{ type: 'text', text: 'hi' }] },
    { type: 'text', text: ' ' },
    { type: 'em', children: [{ type: 'text', text: 'there' }] },
    { type: 'text', text: ' ' },
    { type: 'code', text: 'x<y' },
    { type: 'text', text: ' ' },
    { type: 'link', href: 'https://example.com/a?b=1', children: [{ type: 'text', text: 'docs' }] },
  ]);
});

test('HTML in a message stays text', (t) => {
  t.deepEqual(parseMarkdown('<img src=x onerror=alert(1)>'), [
    { type: 'paragraph', children: [{ type: 'text', text: '<img src=x onerror=alert(1)>' }] },
  ]);
});

test('javascript:, data: and relative links are rendered as their literal text', (t) => {
  for (const src of [
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](data:text/html,hi)',
    '[x](/relative)',
    '[x]( java\tscript:alert(1))',
    '[x](vbscript:msgbox)',
  ]) {
    const tokens = parseInline(src);
    t.false(
      tokens.some((tok) => tok.type === 'link'),
      src,
    );
    t.is(tokens.map((tok) => (tok.type === 'text' ? tok.text : '')).join(''), src, src);
  }
});

test('safeHref accepts http, https and mailto only', (t) => {
  t.is(safeHref('https://example.com'), 'https://example.com/');
  t.is(safeHref('HTTP://Example.com/x'), 'http://example.com/x');
  t.is(safeHref('mailto:a@b.co'), 'mailto:a@b.co');
  t.is(safeHref('javascript:alert(1)'), null);
  t.is(safeHref('https://exa mple.com'), null);
  t.is(safeHref('https://example.com/"onmouseover'), null);
  t.is(safeHref('ftp://example.com'), null);
  t.is(safeHref('//example.com'), null);
});

test('bare URLs are linked without their trailing punctuation', (t) => {
  t.deepEqual(parseInline('see https://netia.dev/docs.'), [
    { type: 'text', text: 'see ' },
    { type: 'link', href: 'https://netia.dev/docs', children: [{ type: 'text', text: 'https://netia.dev/docs' }] },
    { type: 'text', text: '.' },
  ]);
});

test('snake_case words and lone asterisks are not emphasis; escapes are literal', (t) => {
  t.deepEqual(parseInline('my_var_name 2 * 3 \\*not\\*'), [{ type: 'text', text: 'my_var_name 2 * 3 *not*' }]);
});

test('paragraphs, line breaks, lists and fenced code blocks', (t) => {
  t.deepEqual(parseMarkdown('a\nb\n\n- one\n- **two**\n\n```\n<b>x</b>\n```'), [
    { type: 'paragraph', children: [{ type: 'text', text: 'a' }, { type: 'br' }, { type: 'text', text: 'b' }] },
    { type: 'list', items: [[{ type: 'text', text: 'one' }], [{ type: 'strong', children: [{ type: 'text', text: 'two' }] }]] },
    { type: 'code_block', text: '<b>x</b>' },
  ]);
});

test('nesting is bounded and huge input is cut', (t) => {
  const deep = '**'.repeat(50) + 'x' + '**'.repeat(50);
  t.notThrows(() => parseMarkdown(deep));
  const blocks = parseMarkdown('a'.repeat(100_000));
  const first = blocks[0];
  t.true(first?.type === 'paragraph' && first.children[0]?.type === 'text' && first.children[0].text.length === 20_000);
});

test('plainText strips the markup for previews', (t) => {
  t.is(plainText('**Hello** _world_, see [docs](https://x.io)\n\n- a\n- b'), 'Hello world, see docs a b');
  t.is(plainText(null), '');
});
