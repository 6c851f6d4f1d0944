/**
 * A real SMTP server for tests (the `smtp-server` package) on 127.0.0.1 and a
 * free port: plain SMTP (no TLS, STARTTLS disabled), any or no AUTH accepted.
 * It records every message it accepts (envelope, credentials, raw data, and a
 * small MIME parse: headers, text and html parts) before it answers 250, so
 * once `sendMail` resolves the message is already in `messages`, attachments included.
 * Failures are scripted: `rejectNext('rcpt' | 'data', n, code)` refuses the
 * next n RCPT TO commands or DATA transfers with that reply code (451 is
 * transient, 550 permanent); `rejectAddress(addr, code)` refuses one mailbox
 * every time.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string | null; to: string[] };
  /** Credentials the client authenticated with on that connection, if any. */
  auth: { username: string; password: string } | null;
  /** The DATA section as received (dot-unstuffed, CRLF line ends). */
  raw: string;
  /** Top-level headers, names lower-cased, values unfolded and RFC 2047-decoded (first occurrence wins). */
  headers: Map<string, string>;
  subject: string | undefined;
  /** The `Message-ID` header, angle brackets included. */
  messageId: string | undefined;
  /** Decoded text/plain part, if any. */
  text: string | undefined;
  /** Decoded text/html part, if any. */
  html: string | undefined;
  /** Parts with a filename (Content-Disposition or Content-Type `name`), decoded. */
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

export type RejectStage = 'rcpt' | 'data';

export interface Rejection {
  stage: RejectStage;
  code: number;
  address?: string;
}

export interface FakeSmtp {
  host: string;
  port: number;
  /** `smtp://127.0.0.1:<port>`, ready for SMTP_URL. */
  url: string;
  readonly messages: ReceivedMail[];
  /** Every reply the script refused, in order. */
  readonly rejections: Rejection[];
  /** Refuse the next `count` RCPT TO commands (each recipient is one) or DATA transfers with `code`. */
  rejectNext(stage: RejectStage, count: number, code: number, message?: string): void;
  /** Refuse RCPT TO for this address (case-insensitive) with `code`, every time, until `clearRejections()`. */
  rejectAddress(address: string, code: number, message?: string): void;
  clearRejections(): void;
  /** Resolve with the first `n` messages once that many arrived; reject after `timeoutMs`. */
  waitForMessages(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

interface Script {
  stage: RejectStage;
  remaining: number;
  code: number;
  message: string;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function defaultMessage(code: number): string {
  return code >= 500 ? 'Requested action not taken: mailbox unavailable' : 'Requested action aborted: try again later';
}

export async function startFakeSmtp(): Promise<FakeSmtp> {
  const events = new EventEmitter();
  const messages: ReceivedMail[] = [];
  const rejections: Rejection[] = [];
  let scripts: Script[] = [];
  const badAddresses = new Map<string, { code: number; message: string }>();
  const credentials = new Map<string, { username: string; password: string }>();

  /** Consume one scripted rejection for the stage, if any is pending. */
  function takeScript(stage: RejectStage): Script | undefined {
    const script = scripts.find((s) => s.stage === stage && s.remaining > 0);
    if (script) script.remaining -= 1;
    return script;
  }

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    // Connections left open by a failed test must not hold close() for the default 30 s.
    closeTimeout: 1000,
    onAuth(auth, session, callback) {
      credentials.set(session.id, { username: auth.username ?? '', password: auth.password ?? '' });
      callback(null, { user: auth.username ?? '' });
    },
    onRcptTo(address, _session, callback) {
      const bad = badAddresses.get(address.address.toLowerCase());
      if (bad) {
        rejections.push({ stage: 'rcpt', code: bad.code, address: address.address });
        return callback(smtpError(bad.code, bad.message));
      }
      const script = takeScript('rcpt');
      if (script) {
        rejections.push({ stage: 'rcpt', code: script.code, address: address.address });
        return callback(smtpError(script.code, script.message));
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const script = takeScript('data');
        if (script) {
          rejections.push({ stage: 'data', code: script.code });
          return callback(smtpError(script.code, script.message));
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = parseMail(raw);
        const from = session.envelope.mailFrom;
        messages.push({
          envelope: { from: from ? from.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
          auth: credentials.get(session.id) ?? null,
          raw,
          ...mail,
        });
        events.emit('message');
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors after start-up (a client resetting its socket) are not test failures.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    rejections,
    rejectNext(stage, count, code, message) {
      scripts.push({ stage, remaining: count, code, message: message ?? defaultMessage(code) });
    },
    rejectAddress(address, code, message) {
      badAddresses.set(address.toLowerCase(), { code, message: message ?? defaultMessage(code) });
    },
    clearRejections() {
      scripts = [];
      badAddresses.clear();
    },
    waitForMessages(n, timeoutMs = 10_000) {
      if (messages.length >= n) return Promise.resolve(messages.slice(0, n));
      return new Promise((resolve, reject) => {
        const onMessage = (): void => {
          if (messages.length < n) return;
          clearTimeout(timer);
          events.off('message', onMessage);
          resolve(messages.slice(0, n));
        };
        const timer = setTimeout(() => {
          events.off('message', onMessage);
          reject(new Error(`fake SMTP: expected ${n} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        events.on('message', onMessage);
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------
// A minimal MIME reader: enough for what nodemailer produces (single part or
// multipart/alternative; 7bit, quoted-printable or base64; UTF-8).

function splitHeaderBody(raw: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  return m ? { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) } : { head: raw, body: '' };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(i + 1).trim()));
  }
  return headers;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between adjacent words is dropped. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_all, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : qpBytes(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function qpBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return qpBytes(body.replace(/=\r?\n/g, '')).toString('utf8');
    default:
      return body;
  }
}

function param(header: string | undefined, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}="?([^";]+)"?`, 'i').exec(header ?? '');
  return m?.[1];
}

type Parts = { text?: string; html?: string; attachments: ReceivedMail['attachments'] };

function collectParts(headers: Map<string, string>, body: string, out: Parts): void {
  const type = (headers.get('content-type') ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(headers.get('content-type'), 'boundary');
    if (!boundary) return;
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      const { head, body: partBody } = splitHeaderBody(section.replace(/^\r?\n/, ''));
      collectParts(parseHeaders(head), partBody.replace(/\r?\n$/, ''), out);
    }
    return;
  }
  const filename = param(headers.get('content-disposition'), 'filename') ?? param(headers.get('content-type'), 'name');
  if (filename) {
    const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
    const content =
      encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(decodeBody(body, encoding), 'utf8');
    out.attachments.push({ filename, contentType: type.split(';')[0]!.trim(), content });
    return;
  }
  const decoded = decodeBody(body, headers.get('content-transfer-encoding'));
  if (type.startsWith('text/html')) out.html ??= decoded;
  else if (type.startsWith('text/plain')) out.text ??= decoded;
}

function parseMail(raw: string): Pick<ReceivedMail, 'headers' | 'subject' | 'messageId' | 'text' | 'html' | 'attachments'> {
  const { head, body } = splitHeaderBody(raw);
  const headers = parseHeaders(head);
  const parts: Parts = { attachments: [] };
  collectParts(headers, body, parts);
  return {
    headers,
    subject: headers.get('subject'),
    messageId: headers.get('message-id'),
    text: parts.text,
    html: parts.html,
    attachments: parts.attachments,
  };
}
