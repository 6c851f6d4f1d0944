/**
 * @module services/mail/transport
 * The nodemailer SMTP transport. One connection per email (no pool): the
 * worker sends a handful of emails per conversation, and a pooled connection
 * that the server dropped while idle would turn into a confusing failure.
 * Nodemailer does not retry by itself; Temporal owns retries (CONTRIBUTING.md#retries),
 * so every failure surfaces at once and the activity's retry policy decides.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { SmtpSettings } from './config.js';

export type MailTransport = Transporter<SMTPTransport.SentMessageInfo>;

/** Timeouts, in ms. Bounded well below any activity start-to-close timeout, so a stuck server fails the attempt rather than the activity. */
export const SMTP_TIMEOUTS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
  dnsTimeout: 10_000,
} as const;

/**
 * Build the transport for `smtp://` (STARTTLS when offered) or `smtps://`
 * (implicit TLS). Opens no connection until the first `sendMail`.
 */
export function createMailTransport(smtp: SmtpSettings): MailTransport {
  const options: SMTPTransport.Options = {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    // No `pool` option: a plain SMTPTransport, one connection per message.
    ...SMTP_TIMEOUTS,
    // Our own messages never reference files or URLs; refuse them outright.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  };
  if (smtp.user !== undefined) {
    options.auth = { user: smtp.user, pass: smtp.password?.reveal() ?? '' };
  }
  return nodemailer.createTransport(options);
}

/**
 * The built-in mailbox as a transport: `sendOnce` stores the email in
 * `mailbox_messages` (with its ledger row, in one transaction) instead of
 * handing it to an SMTP server. Used when `SMTP_URL` is unset outside production.
 */
export interface MailboxTransport {
  readonly kind: 'mailbox';
}

export const MAILBOX_TRANSPORT: MailboxTransport = Object.freeze({ kind: 'mailbox' as const });

/** Where `sendOnce` delivers: an SMTP server (nodemailer) or the built-in mailbox. */
export type AnyMailTransport = MailTransport | MailboxTransport;

export function isMailboxTransport(t: AnyMailTransport): t is MailboxTransport {
  return (t as Partial<MailboxTransport>).kind === 'mailbox';
}

/**
 * A lazy transport getter for these settings: the injected one (tests), else
 * SMTP when `SMTP_URL` is set, else the mailbox when it is on, else undefined (mail off).
 */
export function mailTransportGetter(
  settings: { enabled: boolean; mailbox: boolean; smtp: SmtpSettings | undefined },
  injected?: AnyMailTransport,
): () => AnyMailTransport | undefined {
  let transport = injected;
  return () => {
    if (transport) return transport;
    if (settings.smtp) transport = createMailTransport(settings.smtp);
    else if (settings.mailbox) transport = MAILBOX_TRANSPORT;
    return transport;
  };
}
