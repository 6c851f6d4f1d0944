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
