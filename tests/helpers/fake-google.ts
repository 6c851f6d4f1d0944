/**
 * A local stand-in for Google's OAuth 2.0 token endpoint and the Gmail REST API
 * v1, speaking their wire formats, so tests point the official `googleapis`
 * client at it (OAuth2 `endpoints`, gmail `rootUrl`). One mailbox per
 * authorization code; mail is added with `deliver` and shows up in
 * `users.history.list` like real Gmail (a `messageAdded` record per message).
 *
 * Wire shapes (from Google's reference documentation):
 * - `GET /o/oauth2/v2/auth?client_id&redirect_uri&response_type=code&scope&state&access_type&prompt`: the
 *   consent page; here the user "consents" at once as the mailbox set with `consentAs`, and the browser
 *   is redirected to `<redirect_uri>?state&code&scope` (or `?error=access_denied&state`).
 * - `POST /token` (form): `grant_type=authorization_code` (code, client_id, client_secret,
 *   redirect_uri) or `grant_type=refresh_token` → `{ access_token, expires_in, refresh_token?, scope,
 *   token_type: 'Bearer' }`; errors `400 { error: 'invalid_grant' | 'invalid_client', error_description }`.
 * - `GET /gmail/v1/users/me/profile` → `{ emailAddress, messagesTotal, threadsTotal, historyId }`.
 * - `GET /gmail/v1/users/me/history?startHistoryId&historyTypes&pageToken` → `{ history: [{ id, messages,
 *   messagesAdded: [{ message: { id, threadId, labelIds } }] }], historyId, nextPageToken? }`; a start id
 *   older than the kept history → 404.
 * - `GET /gmail/v1/users/me/messages?labelIds&maxResults&q&includeSpamTrash` → `{ messages: [{ id, threadId }], resultSizeEstimate }`
 *   (newest first; SPAM and TRASH only with `includeSpamTrash=true`). `q` understands the search operators
 *   `rfc822msgid:<Message-ID>` (with or without angle brackets) and `in:<label>`; any other term is a problem.
 * - `GET /gmail/v1/users/me/messages/{id}?format=full|metadata&metadataHeaders` → a Message resource
 *   (`payload` is `multipart/alternative` with base64url `text/plain` and `text/html` parts).
 * - `GET /gmail/v1/users/me/threads/{id}?format=metadata&metadataHeaders` → `{ id, historyId, messages }`.
 * - `GET /gmail/v1/users/me/messages/{id}/attachments/{attachmentId}` → `{ size, data }` (base64url); a delivered
 *   mail's files are parts of a `multipart/mixed` payload with `filename` and `body: { attachmentId, size }`.
 * - `POST /gmail/v1/users/me/messages/send` `{ raw, threadId? }` → `{ id, threadId, labelIds: ['SENT'] }`; the raw
 *   message's own `Message-ID` is kept (Gmail adds one when it has none).
 * - API errors: `{ error: { code, message, status, errors: [{ message, domain, reason }] } }`; a missing,
 *   unknown or expired bearer token → 401 `UNAUTHENTICATED`. A revoked grant (`revokeGrant`): its access tokens
 *   answer 401 and its refresh token `invalid_grant`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Api } from './api.js';

export const FAKE_CLIENT_ID = 'netia-test.apps.googleusercontent.com';
export const FAKE_CLIENT_SECRET = 'fake-google-client-secret';

export interface FakeMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number;
  historyId: number;
  /** Header name → value, in order. */
  headers: Array<{ name: string; value: string }>;
  text: string;
  /** Files of the mail, served by `messages.attachments.get`. */
  attachments?: Array<{ attachmentId: string; filename: string; mimeType: string; data: Buffer }>;
}

export interface SentMessage {
  id: string;
  threadId: string;
  /** The request's `threadId` (undefined when the reply started a new thread). */
  requestedThreadId: string | undefined;
  headers: Record<string, string>;
  body: string;
  /** Files of a multipart/mixed send, decoded. */
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  status: number;
}

interface Mailbox {
  email: string;
  messages: FakeMessage[];
  /** History records: id → message added. */
  history: Array<{ id: number; message: FakeMessage }>;
  historyId: number;
  /** History ids below this are "too old" (404), as Gmail forgets history after about a week. */
  oldestHistoryId: number;
}

type FailRule = {
  match: (method: string, path: string) => boolean;
  remaining: number;
  status: number;
  dropConnection: boolean;
  hang: boolean;
};

export interface FakeGoogle {
  readonly baseUrl: string;
  /** Env for the stack: OAuth client, endpoints. */
  readonly env: Record<string, string>;
  readonly requests: RecordedRequest[];
  /** Every accepted `messages.send`, in order. */
  readonly sent: SentMessage[];
  /** Token endpoint calls by grant type. */
  readonly tokenCalls: { authorization_code: number; refresh_token: number };
  readonly problems: string[];
  /** An authorization code Google would redirect with after the user consented for `email`. */
  issueCode(email: string, opts?: { scope?: string; withoutRefreshToken?: boolean }): string;
  /** New mail into the mailbox's INBOX; returns the Gmail message (threadId given = a reply in that thread). */
  deliver(
    email: string,
    mail: {
      from: string;
      to?: string;
      subject: string;
      text: string;
      threadId?: string;
      inReplyTo?: string;
      labels?: string[];
      attachments?: Array<{ filename: string; mimeType: string; data: Buffer }>;
    },
  ): FakeMessage;
  /** Forget history before now (the next history.list from an older id answers 404). */
  forgetHistory(email: string): void;
  /**
   * Who consents on the auth page, and where the browser goes back to (real Google uses the request's
   * registered `redirect_uri`; tests whose gateway port is known only later pass the target here).
   * `deny` answers `error=access_denied`.
   */
  consentAs(email: string, opts?: { redirectTo?: string; deny?: boolean }): void;
  /** Make every access token issued so far invalid (as if it expired at Google). */
  expireAccessTokens(): void;
  /** The mailbox's owner removed the app at myaccount.google.com/permissions: its tokens stop working. */
  revokeGrant(email: string): void;
  /** The next `times` requests matching `method path` fail with `status` (or the connection drops after Gmail applied the send). */
  /**
   * The next `times` requests matching `method path` fail with `status`; or, for sends, Gmail applies
   * the send and then drops the connection (`dropConnectionAfterApplying`) or never answers (`hangAfterApplying`).
   */
  failNext(
    method: string,
    pathPattern: RegExp,
    times: number,
    opts?: { status?: number; dropConnectionAfterApplying?: boolean; hangAfterApplying?: boolean },
  ): void;
  /** Resolves once `n` messages were sent (or rejects after the timeout). */
  waitForSent(n: number, timeoutMs?: number): Promise<SentMessage[]>;
  messagesOf(email: string): FakeMessage[];
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function apiError(res: ServerResponse, code: number, message: string, status: string, reason: string): void {
  json(res, code, { error: { code, message, status, errors: [{ message, domain: 'global', reason }] } });
}

function id(): string {
  return randomBytes(8).toString('hex');
}

function parseRaw(raw: string): {
  headers: Record<string, string>;
  body: string;
  rawBody: string;
  attachments: SentMessage['attachments'];
} {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  // Folded header lines (a line starting with whitespace) continue the previous one (RFC 5322 §2.2.3).
  const head = text.slice(0, split).replace(/\r\n(?=[ \t])/g, '');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  let body = text.slice(split + 4);
  const boundary = /multipart\/mixed;\s*boundary="([^"]+)"/i.exec(headers['Content-Type'] ?? '')?.[1];
  if (boundary) {
    // A reply with files: the first part is the text, the others are attachments.
    const parts = body
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((p) => parseRaw(Buffer.from(p.replace(/^\r\n/, ''), 'utf8').toString('base64url')));
    const attachments = parts.slice(1).map((p) => ({
      filename: /filename="([^"]*)"/.exec(p.headers['Content-Disposition'] ?? '')?.[1] ?? '',
      contentType: (p.headers['Content-Type'] ?? '').split(';')[0]!.trim(),
      content: Buffer.from(p.rawBody.replace(/\s+/g, ''), 'base64'),
    }));
    return { headers, body: parts[0]?.body ?? '', rawBody: body, attachments };
  }
  const rawBody = body;
  if (/base64/i.test(headers['Content-Transfer-Encoding'] ?? '')) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { headers, body, rawBody, attachments: [] };
}

function resource(m: FakeMessage, format: string, wanted: string[]): Record<string, unknown> {
  const headers =
    format === 'metadata' && wanted.length
      ? m.headers.filter((h) => wanted.some((w) => w.toLowerCase() === h.name.toLowerCase()))
      : m.headers;
  const html = `<div dir="ltr">${m.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>')}</div>`;
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
  const files = (m.attachments ?? []).map((a, i) => ({
    partId: String(i + 1),
    mimeType: a.mimeType,
    filename: a.filename,
    headers: [{ name: 'Content-Disposition', value: `attachment; filename="${a.filename}"` }],
    body: { attachmentId: a.attachmentId, size: a.data.length },
  }));
  const full = (alternative: Record<string, unknown>): Record<string, unknown> =>
    files.length === 0
      ? alternative
      : {
          partId: '',
          mimeType: 'multipart/mixed',
          filename: '',
          headers,
          body: { size: 0 },
          parts: [{ ...alternative, partId: '0', headers: [] }, ...files],
        };
  return {
    id: m.id,
    threadId: m.threadId,
    labelIds: m.labelIds,
    snippet: m.text.slice(0, 100),
    historyId: String(m.historyId),
    internalDate: String(m.internalDate),
    sizeEstimate: m.text.length + 500,
    payload:
      format === 'metadata'
        ? { mimeType: 'multipart/alternative', headers }
        : full({
            partId: '',
            mimeType: 'multipart/alternative',
            filename: '',
            headers,
            body: { size: 0 },
            parts: [
              {
                partId: '0',
                mimeType: 'text/plain',
                filename: '',
                headers: [{ name: 'Content-Type', value: 'text/plain; charset="UTF-8"' }],
                body: { size: m.text.length, data: b64(m.text) },
              },
              {
                partId: '1',
                mimeType: 'text/html',
                filename: '',
                headers: [{ name: 'Content-Type', value: 'text/html; charset="UTF-8"' }],
                body: { size: html.length, data: b64(html) },
              },
            ],
          }),
  };
}

/**
 * Link `mailbox` to the agent's account as a support mailbox, as an admin does: Netia's Google
 * consent URL, then its OAuth callback with the code the fake issues. Returns the connection.
 */
export async function linkGmailMailbox(
  api: Api,
  agent: { token: string },
  google: Pick<FakeGoogle, 'issueCode'>,
  mailbox: string,
): Promise<{ id: string; inbox_id: string }> {
  const auth = await api.get('/api/google/auth?client=gmail&type=support', agent.token);
  if (auth.status !== 200) throw new Error(`gmail auth url: ${auth.status} ${JSON.stringify(auth.body)}`);
  const state = new URL(auth.body.data.url as string).searchParams.get('state')!;
  const linked = await api.get(
    `/api/google/oauth?code=${encodeURIComponent(google.issueCode(mailbox))}&state=${encodeURIComponent(state)}`,
    agent.token,
  );
  if (linked.status !== 200) throw new Error(`gmail oauth callback: ${linked.status} ${JSON.stringify(linked.body)}`);
  return linked.body.data.connection;
}

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const mailboxes = new Map<string, Mailbox>();
  const codes = new Map<string, { email: string; scope: string; withoutRefreshToken: boolean }>();
  const refreshTokens = new Map<string, string>(); // refresh token → email
  const accessTokens = new Map<string, string>(); // access token → email
  const requests: RecordedRequest[] = [];
  const sent: SentMessage[] = [];
  const problems: string[] = [];
  const tokenCalls = { authorization_code: 0, refresh_token: 0 };
  const failRules: FailRule[] = [];
  const sentWaiters = new Set<{ n: number; resolve: () => void }>();
  let nextHistory = 1000;
  let consent: { email: string; redirectTo?: string; deny?: boolean } | undefined;

  const mailbox = (email: string): Mailbox => {
    let m = mailboxes.get(email);
    if (!m) {
      m = { email, messages: [], history: [], historyId: nextHistory, oldestHistoryId: 0 };
      mailboxes.set(email, m);
    }
    return m;
  };

  const addMessage = (box: Mailbox, msg: Omit<FakeMessage, 'historyId'>): FakeMessage => {
    const historyId = ++nextHistory;
    const full = { ...msg, historyId };
    box.messages.push(full);
    box.history.push({ id: historyId, message: full });
    box.historyId = historyId;
    return full;
  };

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });

  async function handle(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> {
    const { method, path, query } = rec;
    const rule = failRules.find((r) => r.remaining > 0 && r.match(method, path));
    if (rule && !rule.dropConnection && !rule.hang) {
      rule.remaining--;
      await readBody(req);
      rec.status = rule.status;
      apiError(res, rule.status, 'Backend Error', rule.status === 503 ? 'UNAVAILABLE' : 'INTERNAL', 'backendError');
      return;
    }

    if (method === 'GET' && path === '/o/oauth2/v2/auth') {
      const target = consent?.redirectTo ?? query.get('redirect_uri');
      if (query.get('client_id') !== FAKE_CLIENT_ID || !target || !consent || query.get('response_type') !== 'code') {
        rec.status = 400;
        res.writeHead(400, { 'content-type': 'text/html' });
        res.end('<h1>400. That’s an error.</h1><p>Error: invalid_request</p>');
        return;
      }
      const back = new URL(target);
      back.searchParams.set('state', query.get('state') ?? '');
      if (consent.deny) {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = `4/fake-code-${id()}`;
        mailbox(consent.email);
        codes.set(code, { email: consent.email, scope: query.get('scope') ?? '', withoutRefreshToken: false });
        back.searchParams.set('code', code);
        back.searchParams.set('scope', query.get('scope') ?? '');
      }
      rec.status = 302;
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }

    if (method === 'POST' && path === '/token') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('client_id') !== FAKE_CLIENT_ID || form.get('client_secret') !== FAKE_CLIENT_SECRET) {
        rec.status = 401;
        json(res, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
        return;
      }
      const grant = form.get('grant_type');
      let email: string | undefined;
      let scope = 'https://www.googleapis.com/auth/gmail.modify';
      let refresh: string | undefined;
      if (grant === 'authorization_code') {
        tokenCalls.authorization_code++;
        const issued = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!issued) {
          rec.status = 400;
          json(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
          return;
        }
        email = issued.email;
        scope = issued.scope;
        if (!issued.withoutRefreshToken) {
          refresh = `1//fake-refresh-${id()}`;
          refreshTokens.set(refresh, email);
        }
      } else if (grant === 'refresh_token') {
        tokenCalls.refresh_token++;
        email = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!email) {
          rec.status = 400;
          json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
          return;
        }
      } else {
        rec.status = 400;
        json(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grant}` });
        return;
      }
      const access = `ya29.fake-${id()}`;
      accessTokens.set(access, email);
      json(res, 200, {
        access_token: access,
        expires_in: 3599,
        scope,
        token_type: 'Bearer',
        ...(refresh ? { refresh_token: refresh } : {}),
      });
      return;
    }

    const m = /^\/gmail\/v1\/users\/me\/(.+)$/.exec(path);
    if (!m) {
      problems.push(`unexpected ${method} ${path}`);
      rec.status = 404;
      apiError(res, 404, `fake-google: no route ${method} ${path}`, 'NOT_FOUND', 'notFound');
      return;
    }
    const token = /^Bearer (.+)$/.exec(rec.authorization ?? '')?.[1];
    const email = token ? accessTokens.get(token) : undefined;
    if (!email) {
      rec.status = 401;
      apiError(
        res,
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        'UNAUTHENTICATED',
        'authError',
      );
      return;
    }
    const box = mailbox(email);
    const rest = m[1]!;
    const format = query.get('format') ?? 'full';
    const wanted = query.getAll('metadataHeaders');

    if (method === 'GET' && rest === 'profile') {
      json(res, 200, {
        emailAddress: email,
        messagesTotal: box.messages.length,
        threadsTotal: new Set(box.messages.map((x) => x.threadId)).size,
        historyId: String(box.historyId),
      });
      return;
    }
    if (method === 'GET' && rest === 'history') {
      const start = Number(query.get('startHistoryId'));
      if (!Number.isFinite(start) || start < box.oldestHistoryId) {
        rec.status = 404;
        apiError(res, 404, 'Requested entity was not found.', 'NOT_FOUND', 'notFound');
        return;
      }
      const records = box.history.filter((h) => h.id > start);
      const pageSize = 2; // small pages, so the client's paging is exercised
      const offset = Number(query.get('pageToken') ?? 0);
      const page = records.slice(offset, offset + pageSize);
      json(res, 200, {
        ...(page.length
          ? {
              history: page.map((h) => ({
                id: String(h.id),
                messages: [{ id: h.message.id, threadId: h.message.threadId }],
                messagesAdded: [{ message: { id: h.message.id, threadId: h.message.threadId, labelIds: h.message.labelIds } }],
              })),
            }
          : {}),
        historyId: String(box.historyId),
        ...(offset + pageSize < records.length ? { nextPageToken: String(offset + pageSize) } : {}),
      });
      return;
    }
    if (method === 'GET' && rest === 'messages') {
      const labels = query.getAll('labelIds');
      const max = Number(query.get('maxResults') ?? 100);
      const withSpamTrash = query.get('includeSpamTrash') === 'true';
      const terms = (query.get('q') ?? '').split(/\s+/).filter(Boolean);
      const matches = (x: FakeMessage): boolean =>
        terms.every((term) => {
          const op = /^([a-z0-9]+):(.+)$/i.exec(term);
          if (op?.[1]!.toLowerCase() === 'rfc822msgid') {
            const wanted = op[2]!.replace(/^<|>$/g, '').toLowerCase();
            const value = x.headers.find((h) => h.name.toLowerCase() === 'message-id')?.value ?? '';
            return value.replace(/^<|>$/g, '').toLowerCase() === wanted;
          }
          if (op?.[1]!.toLowerCase() === 'in') return x.labelIds.includes(op[2]!.toUpperCase());
          problems.push(`fake-google: unsupported search term ${term}`);
          return false;
        });
      const list = box.messages
        .filter((x) => withSpamTrash || !x.labelIds.some((l) => l === 'SPAM' || l === 'TRASH'))
        .filter(matches)
        .filter((x) => labels.every((l) => x.labelIds.includes(l)))
        .slice()
        .reverse()
        .slice(0, max);
      json(res, 200, {
        ...(list.length ? { messages: list.map((x) => ({ id: x.id, threadId: x.threadId })) } : {}),
        resultSizeEstimate: list.length,
      });
      return;
    }
    if (method === 'POST' && rest === 'messages/send') {
      const body = JSON.parse(await readBody(req)) as { raw?: string; threadId?: string };
      if (!body.raw) {
        rec.status = 400;
        apiError(
          res,
          400,
          "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
          'INVALID_ARGUMENT',
          'invalidArgument',
        );
        return;
      }
      const parsed = parseRaw(body.raw);
      if (body.threadId && !box.messages.some((x) => x.threadId === body.threadId)) {
        rec.status = 404;
        apiError(res, 404, 'Requested entity was not found.', 'NOT_FOUND', 'notFound');
        return;
      }
      const threadId = body.threadId ?? id();
      const headers = Object.entries(parsed.headers).map(([name, value]) => ({ name, value }));
      if (!parsed.headers['Message-ID']) headers.push({ name: 'Message-ID', value: `<fake-${id()}@mail.gmail.com>` });
      const msg = addMessage(box, { id: id(), threadId, labelIds: ['SENT'], internalDate: Date.now(), headers, text: parsed.body });
      sent.push({
        id: msg.id,
        threadId,
        requestedThreadId: body.threadId,
        headers: parsed.headers,
        body: parsed.body,
        attachments: parsed.attachments,
      });
      for (const w of [...sentWaiters])
        if (sent.length >= w.n) {
          sentWaiters.delete(w);
          w.resolve();
        }
      if (rule?.dropConnection || rule?.hang) {
        // Gmail applied the send, but the answer never reaches the caller.
        rule.remaining--;
        rec.status = 0;
        if (rule.dropConnection) req.socket.destroy();
        return;
      }
      json(res, 200, { id: msg.id, threadId, labelIds: ['SENT'] });
      return;
    }
    const attachment = /^messages\/([^/]+)\/attachments\/([^/]+)$/.exec(rest);
    if (method === 'GET' && attachment) {
      const file = box.messages.find((x) => x.id === attachment[1])?.attachments?.find((a) => a.attachmentId === attachment[2]);
      if (!file) {
        rec.status = 404;
        apiError(res, 404, 'Requested entity was not found.', 'NOT_FOUND', 'notFound');
        return;
      }
      json(res, 200, { size: file.data.length, data: file.data.toString('base64url') });
      return;
    }
    const one = /^messages\/([^/]+)$/.exec(rest);
    if (method === 'GET' && one) {
      const msg = box.messages.find((x) => x.id === one[1]);
      if (!msg) {
        rec.status = 404;
        apiError(res, 404, 'Requested entity was not found.', 'NOT_FOUND', 'notFound');
        return;
      }
      json(res, 200, resource(msg, format, wanted));
      return;
    }
    const thread = /^threads\/([^/]+)$/.exec(rest);
    if (method === 'GET' && thread) {
      const msgs = box.messages.filter((x) => x.threadId === thread[1]);
      if (!msgs.length) {
        rec.status = 404;
        apiError(res, 404, 'Requested entity was not found.', 'NOT_FOUND', 'notFound');
        return;
      }
      json(res, 200, { id: thread[1], historyId: String(box.historyId), messages: msgs.map((x) => resource(x, format, wanted)) });
      return;
    }
    problems.push(`unexpected ${method} ${path}`);
    rec.status = 404;
    apiError(res, 404, `fake-google: no route ${method} ${path}`, 'NOT_FOUND', 'notFound');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const rec: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      status: 200,
    };
    requests.push(rec);
    handle(req, res, rec).catch((err: unknown) => {
      problems.push(String(err));
      if (!res.headersSent) apiError(res, 500, String(err), 'INTERNAL', 'backendError');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    env: {
      GOOGLE_CLIENT_ID: FAKE_CLIENT_ID,
      GOOGLE_CLIENT_SECRET: FAKE_CLIENT_SECRET,
      GOOGLE_OAUTH_AUTH_URL: `${baseUrl}/o/oauth2/v2/auth`,
      GOOGLE_OAUTH_TOKEN_URL: `${baseUrl}/token`,
      GMAIL_API_URL: `${baseUrl}/`,
      GOOGLE_REDIRECT_URI: 'http://127.0.0.1:4000/settings/gmail',
    },
    requests,
    sent,
    tokenCalls,
    problems,
    issueCode(email, opts = {}) {
      const code = `4/fake-code-${id()}`;
      mailbox(email);
      codes.set(code, {
        email,
        scope: opts.scope ?? 'https://www.googleapis.com/auth/gmail.modify',
        withoutRefreshToken: opts.withoutRefreshToken ?? false,
      });
      return code;
    },
    deliver(email, mail) {
      const box = mailbox(email);
      const threadId = mail.threadId ?? id();
      const headers = [
        { name: 'From', value: mail.from },
        { name: 'To', value: mail.to ?? email },
        { name: 'Subject', value: mail.subject },
        { name: 'Date', value: new Date().toUTCString() },
        { name: 'Message-ID', value: `<CA+${id()}@mail.example.com>` },
        ...(mail.inReplyTo
          ? [
              { name: 'In-Reply-To', value: mail.inReplyTo },
              { name: 'References', value: mail.inReplyTo },
            ]
          : []),
      ];
      return addMessage(box, {
        id: id(),
        threadId,
        labelIds: mail.labels ?? ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'],
        internalDate: Date.now(),
        headers,
        text: mail.text,
        ...(mail.attachments ? { attachments: mail.attachments.map((a) => ({ ...a, attachmentId: `ANGj${id()}` })) } : {}),
      });
    },
    forgetHistory(email) {
      const box = mailbox(email);
      box.oldestHistoryId = box.historyId;
    },
    consentAs(email, opts = {}) {
      consent = { email, ...opts };
    },
    expireAccessTokens() {
      accessTokens.clear();
    },
    revokeGrant(email) {
      for (const [token, owner] of [...refreshTokens]) if (owner === email) refreshTokens.delete(token);
      for (const [token, owner] of [...accessTokens]) if (owner === email) accessTokens.delete(token);
    },
    failNext(method, pathPattern, times, opts = {}) {
      failRules.push({
        match: (m, p) => m === method && pathPattern.test(p),
        remaining: times,
        status: opts.status ?? 500,
        dropConnection: opts.dropConnectionAfterApplying ?? false,
        hang: opts.hangAfterApplying ?? false,
      });
    },
    waitForSent(n, timeoutMs = 30_000) {
      if (sent.length >= n) return Promise.resolve([...sent]);
      return new Promise((resolve, reject) => {
        const w = {
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve([...sent]);
          },
        };
        const timer = setTimeout(() => {
          sentWaiters.delete(w);
          reject(new Error(`fake-google: ${sent.length} sent, waited for ${n} (${timeoutMs} ms)`));
        }, timeoutMs);
        sentWaiters.add(w);
      });
    },
    messagesOf(email) {
      return [...mailbox(email).messages];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
