/**
 * @module services/automation/regex
 * Regex conditions with a time bound (docs/automation.md#regex-conditions). JavaScript's engine
 * backtracks, so a pattern such as `(a+)+$` can take exponential time on a crafted message and
 * would block the worker's event loop. Node has no linear-time engine built in (V8's
 * experimental one needs a process flag; RE2 is a native package), so every match runs in a
 * `vm` context with a `timeout`: V8 interrupts a running regex at the deadline (the same
 * interrupt `vm` uses for any script), and a match that runs out of time counts as **no match**.
 * The text is bounded too (MAX_TEXT_CHARS) and patterns are compiled once at save time, so an
 * invalid pattern is refused with 422 and never reaches a conversation.
 */
import vm from 'node:vm';

/** A regex match may run this long before it is interrupted (no match). */
export const REGEX_TIMEOUT_MS = 50;
/** Only the first this many characters of a message are matched. */
export const MAX_TEXT_CHARS = 10_000;

/** The one context every match runs in: created once, reused (a context costs far more than a match). */
const context = vm.createContext({ pattern: '', flags: '', text: '' });
const script = new vm.Script('new RegExp(pattern, flags).test(text)');

/** Why a pattern cannot be used, or null when it compiles. */
export function regexError(pattern: string): string | null {
  try {
    new RegExp(pattern, 'u');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : 'invalid pattern';
  }
}

export type RegexOutcome = { matched: boolean; timedOut: boolean; error?: string };

/** Match `pattern` against `text`, interrupted after `timeoutMs` (then: no match, `timedOut`). */
export function safeRegexTest(pattern: string, text: string, caseSensitive: boolean, timeoutMs = REGEX_TIMEOUT_MS): RegexOutcome {
  context.pattern = pattern;
  context.flags = caseSensitive ? 'u' : 'iu';
  context.text = text.slice(0, MAX_TEXT_CHARS);
  try {
    return { matched: script.runInContext(context, { timeout: timeoutMs }) === true, timedOut: false };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/timed out/i.test(message)) return { matched: false, timedOut: true };
    return { matched: false, timedOut: false, error: message };
  } finally {
    context.text = '';
  }
}
