/**
 * @module services/mail/html-to-text
 * The text of an HTML mail body, for every inbound mail path (Gmail, forwarded email).
 * Built on htmlparser2's Tokenizer, a single-pass state machine: the work is linear in the
 * input whatever it contains (1 MB of `<script>`, of `<`, of nested unclosed tags), unlike
 * regular expressions with lazy `[\s\S]*?` (quadratic on unclosed `<script`) or a parser that
 * keeps a stack of open elements (htmlparser2's Parser shifts an array per open tag: quadratic
 * on nested unclosed tags). No element stack is kept: only "inside script/style/… or not".
 * The input is cut at `MAX_HTML_INPUT_CHARS` and the output at `maxChars`.
 * Must not import: gateway, Temporal.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/** HTML beyond this is not read (a mail's text is capped far below; only markup can be this large). */
export const MAX_HTML_INPUT_CHARS = 2 * 1024 * 1024;

/** Elements whose content is never text (scripts, styles, metadata, embedded documents). */
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg', 'math', 'iframe', 'object']);
/** Elements that end a line where they close (and `br` where it opens). */
const BLOCK = new Set([
  'p',
  'div',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'table',
  'ul',
  'ol',
  'section',
  'article',
  'header',
  'footer',
]);

/**
 * Plain text of `html`: tags dropped, entities decoded, a line break for `<br>` and at the end
 * of block elements, nothing from script, style and the other SKIPPED elements (an unclosed
 * `<script>` hides the rest of the document, as in a browser). At most `maxChars` characters.
 */
export function htmlToText(html: string, maxChars = 200_000): string {
  const input = html.length > MAX_HTML_INPUT_CHARS ? html.slice(0, MAX_HTML_INPUT_CHARS) : html;
  const out: string[] = [];
  let length = 0;
  let skipped: string | null = null; // the SKIPPED element we are inside, if any (no nesting needed)
  let tagName = '';
  const emit = (text: string): void => {
    if (skipped !== null || length >= maxChars || text === '') return;
    const piece = text.length > maxChars - length ? text.slice(0, maxChars - length) : text;
    out.push(piece);
    length += piece.length;
  };
  const nameAt = (start: number, end: number): string => input.slice(start, end).toLowerCase();
  const ignore = (): void => undefined;
  const callbacks: TokenizerCallbacks = {
    ontext: (start, end) => emit(input.slice(start, end)),
    ontextentity: (codepoint) => emit(String.fromCodePoint(codepoint)),
    onopentagname: (start, end) => {
      tagName = nameAt(start, end);
    },
    onopentagend: () => {
      if (skipped === null && SKIPPED.has(tagName)) skipped = tagName;
      else if (tagName === 'br') emit('\n');
    },
    onselfclosingtag: () => {
      if (tagName === 'br') emit('\n');
    },
    onclosetag: (start, end) => {
      const name = nameAt(start, end);
      if (skipped !== null) {
        if (name === skipped) skipped = null;
        return;
      }
      if (name === 'br' || BLOCK.has(name)) emit('\n');
    },
    onattribdata: ignore,
    onattribentity: ignore,
    onattribend: ignore,
    onattribname: ignore,
    oncdata: ignore,
    oncomment: ignore,
    ondeclaration: ignore,
    onprocessinginstruction: ignore,
    onend: ignore,
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks);
  tokenizer.write(input);
  tokenizer.end();
  return out
    .join('')
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
