/**
 * @module services/mail/config
 * Outgoing-mail settings, parsed once with zod from an environment object that
 * the entry point passes in (CONTRIBUTING.md#configuration: nothing here reads `process.env`).
 *
 * | Key         | Default                     | Meaning                                                        |
 * | ----------- | --------------------------- | -------------------------------------------------------------- |
 * | `SMTP_URL`  | unset = built-in mailbox (development, test) or mail disabled (production) | `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the first byte) |
 * | `MAIL_FROM` | `Netia <noreply@localhost>` | sender: `Name <address>` or a bare address                    |
 * | `PUBLIC_URL`| unset = no links in emails  | base URL of the console, for "open the conversation" links     |
 */
import { z } from 'zod';
import { Secret } from '../config/secret.js';
import { parseEnv } from '../config/parse-env.js';

/** The address check the original applies to recipients (docs/compatibility.md#emails-and-reminders), with `@` excluded from the parts. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Looser check for our own sender: a dotless domain is fine (`noreply@localhost`, the default). */
const SENDER_PATTERN = /^[^\s@<>"]+@[^\s@<>"]+$/;

export interface MailAddress {
  /** Display name; may be empty. */
  name: string;
  address: string;
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** true for `smtps://` (implicit TLS); false means plain SMTP with STARTTLS when the server offers it. */
  secure: boolean;
  user: string | undefined;
  password: Secret | undefined;
}

export type MailSettings = Readonly<{
  /** True when emails go somewhere: over SMTP, or into the built-in mailbox. False = mail activities report `skipped`. */
  enabled: boolean;
  /**
   * True when `SMTP_URL` is unset and `NODE_ENV` is not production: every email
   * lands in the built-in mailbox (PostgreSQL, `GET /api/dev/mailbox`) instead.
   */
  mailbox: boolean;
  smtp: SmtpSettings | undefined;
  from: MailAddress;
  /** Without trailing slash. */
  publicUrl: string | undefined;
}>;

export const DEFAULT_MAIL_FROM = 'Netia <noreply@localhost>';

const ZSmtpUrl = z
  .string()
  .url()
  .transform((value, ctx): SmtpSettings => {
    const u = new URL(value);
    if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must start with smtp:// or smtps://' });
      return z.NEVER;
    }
    // WHATWG URL keeps IPv6 literals in brackets; net.connect wants them bare.
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!host) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'needs a host' });
      return z.NEVER;
    }
    const secure = u.protocol === 'smtps:';
    const user = u.username ? decodeURIComponent(u.username) : undefined;
    const password = u.password ? decodeURIComponent(u.password) : undefined;
    if (password !== undefined && user === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'has a password but no user' });
      return z.NEVER;
    }
    return {
      host,
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      user,
      password: password === undefined ? undefined : new Secret(password),
    };
  });

const ZMailFrom = z.string().transform((value, ctx): MailAddress => {
  const parsed = parseMailbox(value);
  if (!parsed) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be "Name <address@example.com>" or "address@example.com"' });
    return z.NEVER;
  }
  return parsed;
});

const ZPublicUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

const ZMailEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).optional(),
  SMTP_URL: ZSmtpUrl.optional(),
  MAIL_FROM: ZMailFrom.default(DEFAULT_MAIL_FROM),
  PUBLIC_URL: ZPublicUrl.optional(),
});

/** Parse a sender: `Name <address>`, `"Name" <address>` or a bare address; null when there is no usable address. */
export function parseMailbox(value: string): MailAddress | null {
  const trimmed = value.trim();
  const angled = /^(.*?)\s*<([^<>]+)>$/.exec(trimmed);
  const name = angled ? angled[1]!.trim().replace(/^"(.*)"$/, '$1') : '';
  const address = angled ? angled[2]!.trim() : trimmed;
  return SENDER_PATTERN.test(address) && !/[\r\n]/.test(name) ? { name, address } : null;
}

/**
 * Parse the mail settings. Empty strings count as unset (a `.env` line
 * `SMTP_URL=` sends every email to the built-in mailbox outside production,
 * and disables mail in production). Throws `ConfigError` naming the first bad key,
 * never echoing its value (it may hold the SMTP password).
 */
export function loadMailSettings(env: Readonly<Record<string, string | undefined>>): MailSettings {
  const e = parseEnv(ZMailEnv, env);
  // NODE_ENV unset means production (services/config): no mailbox there.
  const mailbox = e.SMTP_URL === undefined && e.NODE_ENV !== undefined && e.NODE_ENV !== 'production';
  return Object.freeze({
    enabled: e.SMTP_URL !== undefined || mailbox,
    mailbox,
    smtp: e.SMTP_URL,
    from: e.MAIL_FROM,
    publicUrl: e.PUBLIC_URL,
  });
}
