/**
 * A tiny markdown parser for chat messages: text → token tree. Framework-free
 * and pure; `components/markdown.tsx` turns the tree into DOM nodes through
 * Solid's JSX (text nodes only), so message text is never parsed as HTML.
 *
 * Supported: paragraphs (blank line), line breaks, fenced code blocks (```),
 * bullet lists (`- ` / `* `), **bold** / __bold__, *italic* / _italic_,
 * `inline code`, [links](url) and bare http(s) URLs, backslash escapes.
 * Links keep only http:, https: and mailto: targets; any other target
 * (javascript:, data:, vbscript:, relative paths…) is rendered as plain text.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'br' };

export type Block = { type: 'paragraph'; children: Inline[] } | { type: 'code_block'; text: string } | { type: 'list'; items: Inline[][] };

const MAX_DEPTH = 4;
const MAX_INPUT = 20_000;

/**
 * The URL if it is safe to put in an href (http, https or mailto, no control
 * characters or whitespace), normalised; otherwise null.
 */
export function safeHref(raw: string): string | null {
  const trimmed = raw.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (trimmed === '' || /[\u0000-\u001f\u007f\s<>"'`]/.test(trimmed)) return null;
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'mailto') return /^mailto:[^@\s]+@[^@\s]+$/i.test(trimmed) ? trimmed : null;
  if (scheme !== 'http' && scheme !== 'https') return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function pushText(out: Inline[], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.type === 'text') last.text += text;
  else out.push({ type: 'text', text });
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Index of the closing delimiter `delim` at or after `from` that is not escaped, or -1. */
function findClose(src: string, delim: string, from: number): number {
  for (let i = from; i <= src.length - delim.length; i++) {
    if (src[i] === '\\') {
      i++;
      continue;
    }
    if (src.startsWith(delim, i)) return i;
  }
  return -1;
}

/** Parse inline markdown of one block. */
export function parseInline(src: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && /[\\`*_[\]()#+\-.!~>]/.test(src[i + 1]!)) {
      pushText(out, src[i + 1]!);
      i += 2;
      continue;
    }
    if (c === '\n') {
      out.push({ type: 'br' });
      i++;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i + 1) {
        out.push({ type: 'code', text: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (depth < MAX_DEPTH && (src.startsWith('**', i) || src.startsWith('__', i))) {
      const delim = src.slice(i, i + 2);
      const end = findClose(src, delim, i + 2);
      if (end > i + 2 && src[i + 2] !== ' ') {
        out.push({ type: 'strong', children: parseInline(src.slice(i + 2, end), depth + 1) });
        i = end + 2;
        continue;
      }
    }
    if (depth < MAX_DEPTH && (c === '*' || c === '_') && src[i + 1] !== ' ' && src[i + 1] !== c) {
      // `_` inside a word (snake_case) is not emphasis.
      if (!(c === '_' && isWordChar(src[i - 1]))) {
        const end = findClose(src, c, i + 1);
        if (end > i + 1 && src[end - 1] !== ' ' && !(c === '_' && isWordChar(src[end + 1]))) {
          out.push({ type: 'em', children: parseInline(src.slice(i + 1, end), depth + 1) });
          i = end + 1;
          continue;
        }
      }
    }
    if (c === '[') {
      const closeText = findClose(src, ']', i + 1);
      if (closeText > i && src[closeText + 1] === '(') {
        const closeUrl = src.indexOf(')', closeText + 2);
        if (closeUrl > closeText) {
          const raw = src.slice(i, closeUrl + 1);
          const href = safeHref(src.slice(closeText + 2, closeUrl));
          if (href && depth < MAX_DEPTH) out.push({ type: 'link', href, children: parseInline(src.slice(i + 1, closeText), depth + 1) });
          else pushText(out, raw);
          i = closeUrl + 1;
          continue;
        }
      }
    }
    if ((c === 'h' || c === 'H') && !isWordChar(src[i - 1]) && /^https?:\/\//i.test(src.slice(i, i + 8))) {
      let end = i;
      while (end < src.length && !/\s/.test(src[end]!)) end++;
      // Trailing punctuation belongs to the sentence, not the URL.
      while (end > i && /[.,;:!?)\]'"]/.test(src[end - 1]!)) end--;
      const raw = src.slice(i, end);
      const href = safeHref(raw);
      if (href) {
        out.push({ type: 'link', href, children: [{ type: 'text', text: raw }] });
        i = end;
        continue;
      }
    }
    pushText(out, c);
    i++;
  }
  return out;
}

/** Parse a message body into blocks. Very long input is cut, so rendering stays bounded. */
export function parseMarkdown(input: string | null | undefined): Block[] {
  const src = (input ?? '').replace(/\r\n?/g, '\n').slice(0, MAX_INPUT);
  const lines = src.split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: string[] | null = null;
  const flushPara = (): void => {
    if (para.length) blocks.push({ type: 'paragraph', children: parseInline(para.join('\n')) });
    para = [];
  };
  const flushList = (): void => {
    if (list) blocks.push({ type: 'list', items: list.map((item) => parseInline(item)) });
    list = null;
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (/^\s*```/.test(line)) {
      const body: string[] = [];
      let end = n + 1;
      while (end < lines.length && !/^\s*```/.test(lines[end]!)) body.push(lines[end++]!);
      if (end < lines.length) {
        flushPara();
        flushList();
        blocks.push({ type: 'code_block', text: body.join('\n') });
        n = end;
        continue;
      }
    }
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      flushPara();
      (list ??= []).push(item[1]!);
      continue;
    }
    if (line.trim() === '') {
      flushPara();
      flushList();
      continue;
    }
    flushList();
    para.push(line);
  }
  flushPara();
  flushList();
  return blocks;
}

function inlineText(nodes: Inline[]): string {
  return nodes.map((n) => (n.type === 'text' || n.type === 'code' ? n.text : n.type === 'br' ? ' ' : inlineText(n.children))).join('');
}

/** The text a reader sees, without markup: for previews and notifications. */
export function plainText(input: string | null | undefined): string {
  return parseMarkdown(input)
    .map((b) => (b.type === 'code_block' ? b.text : b.type === 'list' ? b.items.map(inlineText).join(' ') : inlineText(b.children)))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
