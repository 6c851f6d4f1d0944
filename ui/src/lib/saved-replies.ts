/**
 * Variables of saved replies, framework-free: `{{customer.name}}`,
 * `{{customer.email}}`, `{{agent.name}}` and `{{account.company_name}}` are
 * filled in when an agent inserts a saved reply into the composer, and the
 * composer previews the result first.
 *
 * - Spaces inside the braces are allowed (`{{ customer.name }}`).
 * - A value that is missing (a visitor who never gave a name) takes the
 *   reply's own fallback when it has one (`{{customer.name|friend}}`), else a
 *   neutral default that reads well in a sentence ("Hi there").
 * - An unknown variable (`{{order.id}}`, a typo) is left exactly as written so
 *   the agent sees it in the reply box, and is reported so the preview can
 *   flag it.
 */

export const REPLY_VARIABLES = ['customer.name', 'customer.email', 'agent.name', 'account.company_name'] as const;
export type ReplyVariable = (typeof REPLY_VARIABLES)[number];

/** What the filling knows about the conversation; any part may be absent. */
export interface ReplyContext {
  customer?: { name?: string | null; email?: string | null } | null;
  agent?: { name?: string | null } | null;
  account?: { company_name?: string | null } | null;
}

/** Used when a value is missing and the reply gives no fallback of its own. */
export const DEFAULT_FALLBACKS: Readonly<Record<ReplyVariable, string>> = {
  'customer.name': 'there',
  'customer.email': 'your email address',
  'agent.name': 'the support team',
  'account.company_name': 'our team',
};

/** One piece of a filled reply, for the preview. */
export type ReplyPart =
  | { kind: 'text'; text: string }
  /** `fallback`: the value was missing and `text` is the fallback. */
  | { kind: 'variable'; name: ReplyVariable; text: string; fallback: boolean }
  /** An unknown variable, left as written. */
  | { kind: 'unknown'; name: string; text: string };

export interface FilledReply {
  /** The text to put in the reply box. */
  text: string;
  parts: ReplyPart[];
  /** Unknown variable names, in order of first appearance, without duplicates. */
  unknown: string[];
  /** Known variables whose value was missing (a fallback was used), without duplicates. */
  missing: ReplyVariable[];
}

const PATTERN = /\{\{\s*([^{}|]*?)\s*(?:\|([^{}]*))?\}\}/g;

function isKnown(name: string): name is ReplyVariable {
  return (REPLY_VARIABLES as readonly string[]).includes(name);
}

function valueOf(name: ReplyVariable, ctx: ReplyContext): string {
  const raw =
    name === 'customer.name'
      ? ctx.customer?.name
      : name === 'customer.email'
        ? ctx.customer?.email
        : name === 'agent.name'
          ? ctx.agent?.name
          : ctx.account?.company_name;
  return (raw ?? '').trim();
}

/** Fill the variables of a saved reply's text. */
export function fillReply(template: string, ctx: ReplyContext): FilledReply {
  const parts: ReplyPart[] = [];
  const unknown: string[] = [];
  const missing: ReplyVariable[] = [];
  let last = 0;
  for (const match of template.matchAll(PATTERN)) {
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: template.slice(last, start) });
    last = start + match[0].length;
    const name = match[1]!;
    if (!isKnown(name)) {
      parts.push({ kind: 'unknown', name, text: match[0] });
      if (!unknown.includes(name)) unknown.push(name);
      continue;
    }
    const value = valueOf(name, ctx);
    if (value) {
      parts.push({ kind: 'variable', name, text: value, fallback: false });
      continue;
    }
    const own = match[2]?.trim();
    parts.push({ kind: 'variable', name, text: own || DEFAULT_FALLBACKS[name], fallback: true });
    if (!missing.includes(name)) missing.push(name);
  }
  if (last < template.length) parts.push({ kind: 'text', text: template.slice(last) });
  // Neighbouring text parts are merged so the preview and the text agree piece by piece.
  const merged: ReplyPart[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if (p.kind === 'text' && prev?.kind === 'text') prev.text += p.text;
    else merged.push({ ...p });
  }
  return { text: merged.map((p) => p.text).join(''), parts: merged, unknown, missing };
}

/** Whether a saved reply's text uses any variable (known or not). */
export function hasVariables(template: string): boolean {
  return /\{\{[^{}]*\}\}/.test(template);
}
