/**
 * @module services/validation
 * Small shared zod pieces and converters used by several services.
 */
import { z } from 'zod';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** RFC 4122 UUID (any version 1–8); anything else is rejected before it reaches SQL. */
export const ZUuid = z.string().regex(UUID_RE, 'is invalid');

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/** Epoch milliseconds (slonik's timestamptz parser) → ISO string, null-safe. */
export function iso(ms: number): string;
export function iso(ms: number | null | undefined): string | null;
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** Flatten zod issues into the original's changeset error shape `{ field: ["msg"] }`. */
export function fieldErrorsFromZod(error: z.ZodError, prefix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : prefix || 'base';
    const msg = issue.code === 'invalid_type' && issue.received === 'undefined' ? "can't be blank" : issue.message;
    (out[key] ??= []).push(msg);
  }
  return out;
}

export const ZJsonObject = z.record(z.unknown());

/** Optional text of at most `max` characters; null clears it. */
export const optionalText = (max: number): z.ZodOptional<z.ZodNullable<z.ZodString>> => z.string().max(max).nullable().optional();

/** An optional http(s) link (the console shows it as a link); null or '' clears it. */
export const ZOptionalHttpUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL')
  .nullable()
  .optional()
  .or(z.literal('').transform(() => null));

/**
 * How deep client JSON may nest (objects and arrays). Real payloads (metadata, custom fields,
 * Slack blocks, widget settings) stay far below; deeper input would only make recursive code
 * (serialisers, PostgreSQL's jsonb parser, zod) work or overflow the stack, so it is refused.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * slonik's SQL token types are `SLONIK_TOKEN_<KIND>` (`SLONIK_TOKEN_FRAGMENT`, `_JSON`, `_SQL` in
 * older versions…). slonik 47 only takes an object for a token when its `type` is a *symbol*
 * with such a key, which JSON cannot produce; refusing the string form as well keeps a token-shaped
 * object from ever reaching a `sql` template (a future version, a plugin, a `{...spread}` that
 * keeps `type`), where it would at best be a 500.
 */
const SLONIK_TOKEN_TYPE = /^SLONIK_TOKEN_/i;

/** What is wrong with a piece of client JSON, and where (a dotted path, `base` for the root). */
export interface HostileJson {
  path: string;
  problem: 'depth' | 'token' | 'nul';
}

/**
 * The first part of a JSON value that must not go further: nesting deeper than `maxDepth`,
 * an object shaped like a slonik SQL token (a `type` string `SLONIK_TOKEN_…`) or, with
 * `nul`, a string (value or key) containing U+0000 (PostgreSQL cannot store it in text or
 * jsonb and fails the whole statement). Iterative: bounded work and no recursion however
 * the input nests.
 */
export function findHostileJson(value: unknown, opts: { maxDepth?: number; nul?: boolean } = {}): HostileJson | undefined {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  const name = (path: string[]): string =>
    path.length === 0 ? 'base' : path.length > 8 ? `${path.slice(0, 8).join('.')}…` : path.join('.');
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (opts.nul && v.includes('\u0000')) return { path: name(path), problem: 'nul' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= maxDepth) return { path: name(path), problem: 'depth' };
    if (!Array.isArray(v)) {
      const type = (v as { type?: unknown }).type;
      if (typeof type === 'string' && SLONIK_TOKEN_TYPE.test(type)) return { path: name(path), problem: 'token' };
    }
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i]!;
      if (opts.nul && k.includes('\u0000')) return { path: name(path), problem: 'nul' };
      stack.push({ value: child, path: [...path, k] });
    }
  }
  return undefined;
}

const HOSTILE_JSON_MESSAGES: Record<HostileJson['problem'], string> = {
  depth: `is nested too deeply (at most ${MAX_JSON_DEPTH} levels)`,
  token: 'has a reserved "type"',
  nul: 'must not contain NUL characters',
};

/** The changeset-style field errors for a {@link findHostileJson} finding. */
export function hostileJsonErrors(found: HostileJson): Record<string, string[]> {
  return { [found.path]: [HOSTILE_JSON_MESSAGES[found.problem]] };
}

/** A stored JSON value read back for the wire: the value when it has the expected type, else null. */
export function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** See {@link stringOrNull}. */
export function booleanOrNull(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}

/** See {@link stringOrNull}. */
export function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}
