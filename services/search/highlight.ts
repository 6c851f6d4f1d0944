/**
 * @module services/search/highlight
 * The terms of a search text and the highlighted snippet of a hit. Pure
 * functions, no database. Snippets are plain-text segments (never HTML: the
 * console renders them as text nodes, so a `<script>` in a body stays text).
 */
import type { SearchSegment } from '../../gateway/protocol/wire/search.js';

/** Longest search text accepted (characters). */
export const MAX_QUERY_LENGTH = 200;

/**
 * The words a search text looks for, lowercased, in order, without duplicates:
 * websearch syntax is dropped (quotes, a leading `-` excludes the word so it is
 * not a term, `or`), and so is punctuation at a word's edges.
 */
export function searchTerms(q: string): string[] {
  const out: string[] = [];
  for (const raw of q.slice(0, MAX_QUERY_LENGTH).split(/\s+/)) {
    if (raw.startsWith('-')) continue;
    const word = raw
      .replace(/^[^\p{L}\p{N}]+/u, '')
      .replace(/[^\p{L}\p{N}]+$/u, '')
      .toLowerCase();
    if (word === '' || word === 'or' || out.includes(word)) continue;
    out.push(word);
  }
  return out.slice(0, 12);
}

/**
 * What the trigram fallback looks for as substrings: each "quoted phrase" whole,
 * each other word alone (lowercased, exclusions and `or` dropped).
 */
export function partialPatterns(q: string): string[] {
  const out: string[] = [];
  const rest = q.slice(0, MAX_QUERY_LENGTH).replace(/"([^"]*)"/g, (_all, phrase: string) => {
    const words = searchTerms(phrase);
    if (words.length > 0) out.push(words.join(' '));
    return ' ';
  });
  for (const word of searchTerms(rest)) if (!out.includes(word)) out.push(word);
  return out;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The part of `text` around its first match, at most about `width` characters,
 * cut into segments with the matched terms marked. `wholeWords`: a term matches
 * at the start of a word (full-text hits); otherwise anywhere (partial hits).
 */
export function highlight(text: string, terms: readonly string[], opts: { wholeWords: boolean; width?: number }): SearchSegment[] {
  const width = opts.width ?? 160;
  const usable = terms.filter((t) => t !== '');
  if (text === '') return [];
  if (usable.length === 0) return [{ text: text.slice(0, width), hit: false }];
  // Longest first so "refunds" wins over "refund" at the same place.
  const alternatives = [...usable]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const pattern = new RegExp(opts.wholeWords ? `(?<![\\p{L}\\p{N}])(?:${alternatives})` : `(?:${alternatives})`, 'giu');
  const first = pattern.exec(text);
  pattern.lastIndex = 0;
  let start = 0;
  if (first && text.length > width && first.index > width / 3) {
    // A third of the window before the match, but never past the end of the text.
    start = Math.min(first.index - Math.floor(width / 3), text.length - width);
    // Do not cut a word (or a surrogate pair) in half: move to the next space when there is one nearby.
    const space = text.indexOf(' ', start);
    if (space !== -1 && space < first.index) start = space + 1;
  }
  const end = Math.min(text.length, start + width);
  const window = text.slice(start, end);
  const segments: SearchSegment[] = [];
  if (start > 0) segments.push({ text: '…', hit: false });
  let at = 0;
  for (const m of window.matchAll(pattern)) {
    if (m.index > at) segments.push({ text: window.slice(at, m.index), hit: false });
    segments.push({ text: m[0], hit: true });
    at = m.index + m[0].length;
  }
  if (at < window.length) segments.push({ text: window.slice(at), hit: false });
  if (end < text.length) segments.push({ text: '…', hit: false });
  return segments;
}
