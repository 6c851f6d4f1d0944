/**
 * Local HubSpot and Intercom REST APIs for tests, speaking their real wire formats (JSON bodies,
 * `Authorization: Bearer`, the vendors' error shapes), one server per vendor:
 *
 * - HubSpot (`startFakeHubSpot`, HUBSPOT_API_URL / HUBSPOT_AUTHORIZE_URL): `POST /oauth/v1/token`
 *   (form-encoded `authorization_code` with client id, secret and the same `redirect_uri`, and
 *   `refresh_token`; a bad code answers 400 `BAD_AUTH_CODE`), `GET /oauth/v1/access-tokens/:token`,
 *   `DELETE /oauth/v1/refresh-tokens/:token`, CRM v3 `contacts/search` (`email` EQ),
 *   `POST contacts` (409 `CONFLICT` "Contact already exists. Existing ID: n" for a taken email),
 *   `PATCH contacts/:id` (404), `POST notes` with associations (type 202 to a contact), and
 *   `notes/search` (`associations.contact` EQ). Access tokens expire after `tokenTtlSeconds`.
 * - Intercom (`startFakeIntercom`, INTERCOM_API_URL / INTERCOM_AUTHORIZE_URL): `POST
 *   /auth/eagle/token` (form or JSON code, client id and secret), `GET /me`, `POST /contacts/search`
 *   (`email` =), `POST /contacts` (409 `conflict` "A contact matching those details already exists
 *   with id=…"), `PUT /contacts/:id`, `POST` / `GET /contacts/:id/notes`; errors as `error.list`.
 *
 * Both: the consent page (`GET /oauth/authorize` or `/oauth`) approves at once and redirects to
 * `redirect_uri?code&state`; every call is recorded with its time; `failNext(route, n, failure)`
 * answers a route (`'POST /crm/v3/objects/notes'`) with 429 (`Retry-After` and, for Intercom,
 * `X-RateLimit-Reset`) or 5xx; `afterNote` runs after a note is stored and before the answer (a
 * rejection drops the connection unanswered, to kill a worker between the vendor's answer and our
 * record). Not reproduced: real rate-limit accounting, search-index lag, pagination beyond one page,
 * HubSpot's v4 associations API, Intercom's companies and conversations.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CrmCallRecord {
  route: string;
  at: number;
  token: string | undefined;
  body: unknown;
}

export interface FakeContact {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  externalId: string | null;
  updates: number;
}

export interface FakeNote {
  id: string;
  contactId: string;
  body: string;
}

/** `when`: only calls whose JSON body contains this text (tests running at once share a fake). */
export type CrmFailure = { status: number; retryAfter?: number; when?: string };

export interface FakeCrm {
  vendor: 'hubspot' | 'intercom';
  apiUrl: string;
  authorizeUrl: string;
  clientId: string;
  clientSecret: string;
  /** HubSpot's portal id / Intercom's workspace id. */
  account: string;
  readonly calls: CrmCallRecord[];
  readonly contacts: FakeContact[];
  readonly notes: FakeNote[];
  readonly tokens: Set<string>;
  /** Seconds an access token lives (HubSpot; Intercom tokens do not expire). */
  tokenTtlSeconds: number;
  /** A code the token endpoint accepts once. */
  issueCode(): string;
  /** The access token the code was exchanged for. */
  tokenOfCode(code: string): string | undefined;
  /** Revoke every token (the vendor app was uninstalled): calls answer 401. */
  revokeAll(): void;
  failNext(route: string, count: number, failure: CrmFailure): void;
  afterNote: ((note: FakeNote) => Promise<void>) | undefined;
  waitFor<T>(find: () => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  return JSON.parse(text) as unknown;
}

type Handler = (ctx: { path: string; body: Record<string, unknown>; token: string | undefined; url: URL }) => Reply | Promise<Reply>;

interface Core {
  fake: FakeCrm;
  codes: Set<string>;
  codeTokens: Map<string, string>;
  expiry: Map<string, number>;
  newToken(prefix: string): string;
  authed(token: string | undefined): boolean;
  id(): string;
}

async function startFake(
  vendor: 'hubspot' | 'intercom',
  authorizePath: string,
  routes: (core: Core) => Array<[RegExp, string, Handler]>,
  unauthorized: () => Reply,
): Promise<FakeCrm> {
  const failures = new Map<string, CrmFailure[]>();
  let nextId = 1000;
  const fake: FakeCrm = {
    vendor,
    apiUrl: '',
    authorizeUrl: '',
    clientId: `${vendor}-client-id`,
    clientSecret: `${vendor}-client-secret`,
    account: vendor === 'hubspot' ? '4455667' : 'abc123xy',
    calls: [],
    contacts: [],
    notes: [],
    tokens: new Set(),
    tokenTtlSeconds: 1800,
    issueCode() {
      const code = `code-${randomBytes(8).toString('hex')}`;
      core.codes.add(code);
      return code;
    },
    tokenOfCode(code) {
      return core.codeTokens.get(code);
    },
    revokeAll() {
      fake.tokens.clear();
    },
    failNext(route, count, failure) {
      failures.set(route, [...(failures.get(route) ?? []), ...Array.from({ length: count }, () => failure)]);
    },
    afterNote: undefined,
    async waitFor(find, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find();
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`fake ${vendor}: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const core: Core = {
    fake,
    codes: new Set(),
    codeTokens: new Map(),
    expiry: new Map(),
    newToken(prefix) {
      const token = `${prefix}-${randomBytes(12).toString('hex')}`;
      fake.tokens.add(token);
      core.expiry.set(token, Date.now() + fake.tokenTtlSeconds * 1000);
      return token;
    },
    authed(token) {
      return token !== undefined && fake.tokens.has(token) && (core.expiry.get(token) ?? Infinity) > Date.now();
    },
    id: () => String(nextId++),
  };
  const table = routes(core);

  const server = createServer((req, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'GET' && url.pathname === authorizePath) {
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', fake.issueCode());
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        res.end();
        return;
      }
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      let body: Record<string, unknown>;
      try {
        body = (await readBody(req)) as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'invalid JSON' }));
        return;
      }
      const match = table.find(([re, method]) => method === req.method && re.test(url.pathname));
      const route = match
        ? `${req.method} ${match[0].source.replace(/\\\//g, '/').replace(/^\^|\$$/g, '')}`
        : `${req.method} ${url.pathname}`;
      const routeName = `${req.method} ${url.pathname}`;
      fake.calls.push({ route: routeName, at: Date.now(), token, body });
      const queued = failures.get(routeName) ?? failures.get(route) ?? [];
      const index = queued.findIndex((f) => f.when === undefined || JSON.stringify(body).includes(f.when));
      const failure = index >= 0 ? queued.splice(index, 1)[0] : undefined;
      let reply: Reply;
      if (failure) {
        const headers: Record<string, string> = {};
        if (failure.retryAfter !== undefined) {
          headers['retry-after'] = String(failure.retryAfter);
          if (vendor === 'intercom') headers['x-ratelimit-reset'] = String(Math.ceil(Date.now() / 1000) + failure.retryAfter);
        }
        reply =
          vendor === 'hubspot'
            ? new Reply(
                failure.status,
                {
                  status: 'error',
                  message: failure.status === 429 ? 'You have reached your ten_secondly_rolling limit.' : 'internal error',
                  category: failure.status === 429 ? 'RATE_LIMITS' : 'INTERNAL_ERROR',
                  correlationId: randomBytes(8).toString('hex'),
                },
                headers,
              )
            : new Reply(
                failure.status,
                {
                  type: 'error.list',
                  request_id: randomBytes(8).toString('hex'),
                  errors: [
                    {
                      code: failure.status === 429 ? 'rate_limit_exceeded' : 'server_error',
                      message: failure.status === 429 ? 'Exceeded rate limit' : 'Server error',
                    },
                  ],
                },
                headers,
              );
      } else if (!match) {
        reply = new Reply(
          404,
          vendor === 'hubspot'
            ? { status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND' }
            : { type: 'error.list', errors: [{ code: 'not_found', message: 'Resource Not Found' }] },
        );
      } else {
        try {
          const isOAuth = /oauth|eagle/.test(url.pathname);
          reply = !isOAuth && !core.authed(token) ? unauthorized() : await match[2]({ path: url.pathname, body, token, url });
        } catch {
          res.destroy();
          return;
        }
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.apiUrl = base;
  fake.authorizeUrl = `${base}${authorizePath}`;
  return fake;
}

async function storeNote(fake: FakeCrm, note: FakeNote): Promise<void> {
  fake.notes.push(note);
  // Stored, then the hook (a worker kill) before the answer leaves.
  if (fake.afterNote) await fake.afterNote(note);
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export async function startFakeHubSpot(opts: { redirectUri: string }): Promise<FakeCrm> {
  const hsError = (status: number, message: string, category: string): Reply =>
    new Reply(status, { status: 'error', message, correlationId: randomBytes(8).toString('hex'), category });
  const present = (c: FakeContact): Record<string, unknown> => {
    const [first, ...rest] = (c.name ?? '').split(' ');
    return {
      id: c.id,
      properties: {
        email: c.email,
        firstname: first || null,
        lastname: rest.join(' ') || null,
        phone: c.phone,
        lifecyclestage: 'lead',
        createdate: '2026-01-01T00:00:00.000Z',
        lastmodifieddate: new Date().toISOString(),
        hs_object_id: c.id,
      },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: new Date().toISOString(),
      archived: false,
    };
  };
  const nameOf = (p: Record<string, unknown>): string | null => [str(p.firstname), str(p.lastname)].filter((v) => v).join(' ') || null;
  return startFake(
    'hubspot',
    '/oauth/authorize',
    (core) => {
      const { fake } = core;
      const refreshTokens = new Set<string>();
      return [
        [
          /^\/oauth\/v1\/token$/,
          'POST',
          ({ body }) => {
            if (body.client_id !== fake.clientId || body.client_secret !== fake.clientSecret)
              return hsError(400, 'missing or invalid client id or secret', 'BAD_CLIENT_ID');
            if (body.grant_type === 'authorization_code') {
              if (typeof body.code !== 'string' || !core.codes.delete(body.code))
                return new Reply(400, { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code', correlationId: 'x' });
              if (body.redirect_uri !== opts.redirectUri)
                return new Reply(400, { status: 'BAD_REDIRECT_URI', message: 'redirect_uri does not match', correlationId: 'x' });
            } else if (body.grant_type === 'refresh_token') {
              if (typeof body.refresh_token !== 'string' || !refreshTokens.has(body.refresh_token))
                return new Reply(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token', correlationId: 'x' });
            } else return new Reply(400, { status: 'BAD_GRANT_TYPE', message: 'unknown grant_type', correlationId: 'x' });
            const refresh =
              body.grant_type === 'refresh_token' ? (body.refresh_token as string) : `refresh-${randomBytes(8).toString('hex')}`;
            refreshTokens.add(refresh);
            return new Reply(200, {
              token_type: 'bearer',
              refresh_token: refresh,
              access_token: core.newToken('hs-access'),
              expires_in: fake.tokenTtlSeconds,
            });
          },
        ],
        [
          /^\/oauth\/v1\/access-tokens\/[^/]+$/,
          'GET',
          ({ path }) => {
            const token = decodeURIComponent(path.split('/').pop() ?? '');
            if (!core.authed(token)) return new Reply(404, { status: 'error', message: 'not found', category: 'OBJECT_NOT_FOUND' });
            return new Reply(200, {
              token,
              user: 'owner@hubspot.example',
              hub_domain: 'netia-test.hubspot.com',
              scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'],
              hub_id: Number(fake.account),
              app_id: 999,
              expires_in: 1700,
              user_id: 42,
              token_type: 'access',
            });
          },
        ],
        [
          /^\/oauth\/v1\/refresh-tokens\/[^/]+$/,
          'DELETE',
          ({ path }) => (refreshTokens.delete(decodeURIComponent(path.split('/').pop() ?? '')) ? new Reply(204, null) : new Reply(404, {})),
        ],
        [
          /^\/crm\/v3\/objects\/contacts\/search$/,
          'POST',
          ({ body }) => {
            const filter = ((body.filterGroups as Array<{ filters: Array<{ propertyName: string; value: string }> }>)?.[0]?.filters ??
              [])[0];
            const found =
              filter?.propertyName === 'email'
                ? fake.contacts.filter((c) => c.email.toLowerCase() === String(filter.value).toLowerCase())
                : [];
            return new Reply(200, { total: found.length, results: found.map(present) });
          },
        ],
        [
          /^\/crm\/v3\/objects\/contacts$/,
          'POST',
          ({ body }) => {
            const p = (body.properties ?? {}) as Record<string, unknown>;
            const email = str(p.email);
            if (!email) return hsError(400, 'Property values were not valid', 'VALIDATION_ERROR');
            const taken = fake.contacts.find((c) => c.email.toLowerCase() === email.toLowerCase());
            if (taken) return hsError(409, `Contact already exists. Existing ID: ${taken.id}`, 'CONFLICT');
            const contact: FakeContact = { id: core.id(), email, name: nameOf(p), phone: str(p.phone), externalId: null, updates: 0 };
            fake.contacts.push(contact);
            return new Reply(201, present(contact));
          },
        ],
        [
          /^\/crm\/v3\/objects\/contacts\/\d+$/,
          'PATCH',
          ({ path, body }) => {
            const contact = fake.contacts.find((c) => c.id === path.split('/').pop());
            if (!contact) return hsError(404, 'resource not found', 'OBJECT_NOT_FOUND');
            const p = (body.properties ?? {}) as Record<string, unknown>;
            if (str(p.email)) contact.email = str(p.email)!;
            if (nameOf(p)) contact.name = nameOf(p);
            if (str(p.phone)) contact.phone = str(p.phone);
            contact.updates++;
            return new Reply(200, present(contact));
          },
        ],
        [
          /^\/crm\/v3\/objects\/notes$/,
          'POST',
          async ({ body }) => {
            const p = (body.properties ?? {}) as Record<string, unknown>;
            const assoc = (
              body.associations as Array<{ to: { id: string }; types: Array<{ associationTypeId: number }> }> | undefined
            )?.[0];
            if (!str(p.hs_timestamp)) return hsError(400, 'hs_timestamp is required', 'VALIDATION_ERROR');
            if (!assoc || assoc.types[0]?.associationTypeId !== 202 || !fake.contacts.some((c) => c.id === assoc.to.id))
              return hsError(400, 'invalid association', 'VALIDATION_ERROR');
            const note: FakeNote = {
              id: core.id(),
              contactId: assoc.to.id,
              body: typeof p.hs_note_body === 'string' ? p.hs_note_body : '',
            };
            await storeNote(fake, note);
            return new Reply(201, {
              id: note.id,
              properties: { hs_note_body: note.body, hs_timestamp: p.hs_timestamp },
              createdAt: new Date().toISOString(),
              archived: false,
            });
          },
        ],
        [
          /^\/crm\/v3\/objects\/notes\/search$/,
          'POST',
          ({ body }) => {
            const filter = ((body.filterGroups as Array<{ filters: Array<{ propertyName: string; value: string }> }>)?.[0]?.filters ??
              [])[0];
            const found = filter?.propertyName === 'associations.contact' ? fake.notes.filter((n) => n.contactId === filter.value) : [];
            return new Reply(200, { total: found.length, results: found.map((n) => ({ id: n.id, properties: { hs_note_body: n.body } })) });
          },
        ],
      ];
    },
    () => new Reply(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' }),
  );
}

export async function startFakeIntercom(): Promise<FakeCrm> {
  const icError = (status: number, code: string, message: string): Reply =>
    new Reply(status, { type: 'error.list', request_id: randomBytes(8).toString('hex'), errors: [{ code, message }] });
  const present = (c: FakeContact): Record<string, unknown> => ({
    type: 'contact',
    id: c.id,
    workspace_id: 'abc123xy',
    external_id: c.externalId,
    role: 'user',
    email: c.email,
    phone: c.phone,
    name: c.name,
    created_at: 1767225600,
    updated_at: Math.floor(Date.now() / 1000),
    last_seen_at: null,
    location: { type: 'location', country: 'France', region: null, city: 'Paris' },
  });
  return startFake(
    'intercom',
    '/oauth',
    (core) => {
      const { fake } = core;
      const hex = (): string => randomBytes(12).toString('hex');
      return [
        [
          /^\/auth\/eagle\/token$/,
          'POST',
          ({ body }) => {
            if (body.client_id !== fake.clientId || body.client_secret !== fake.clientSecret)
              return icError(401, 'unauthorized', 'Invalid client');
            if (typeof body.code !== 'string' || !core.codes.delete(body.code)) return icError(400, 'parameter_invalid', 'Invalid code');
            const token = core.newToken('ic-token');
            core.expiry.delete(token); // Intercom tokens do not expire
            core.codeTokens.set(body.code, token);
            return new Reply(200, { token_type: 'Bearer', token, access_token: token });
          },
        ],
        [
          /^\/me$/,
          'GET',
          () =>
            new Reply(200, {
              type: 'admin',
              id: '991267',
              email: 'admin@intercom.example',
              name: 'Ada Admin',
              app: { type: 'app', id_code: fake.account, name: 'Netia Test Workspace' },
            }),
        ],
        [
          /^\/contacts\/search$/,
          'POST',
          ({ body }) => {
            const q = (body.query ?? {}) as { field?: string; operator?: string; value?: string };
            const found = q.field === 'email' && q.operator === '=' ? fake.contacts.filter((c) => c.email === q.value) : [];
            return new Reply(200, {
              type: 'list',
              data: found.map(present),
              total_count: found.length,
              pages: { type: 'pages', page: 1, per_page: 50, total_pages: 1 },
            });
          },
        ],
        [
          /^\/contacts$/,
          'POST',
          ({ body }) => {
            const email = str(body.email);
            if (!email && !str(body.external_id)) return icError(400, 'parameter_invalid', 'email or external_id is required');
            const taken = fake.contacts.find(
              (c) => (email && c.email === email) || (str(body.external_id) && c.externalId === body.external_id),
            );
            if (taken) return icError(409, 'conflict', `A contact matching those details already exists with id=${taken.id}`);
            const contact: FakeContact = {
              id: hex(),
              email: email ?? '',
              name: str(body.name),
              phone: str(body.phone),
              externalId: str(body.external_id),
              updates: 0,
            };
            fake.contacts.push(contact);
            return new Reply(200, present(contact));
          },
        ],
        [
          /^\/contacts\/[a-f0-9]+$/,
          'PUT',
          ({ path, body }) => {
            const contact = fake.contacts.find((c) => c.id === path.split('/').pop());
            if (!contact) return icError(404, 'not_found', 'User Not Found');
            if (str(body.email)) contact.email = str(body.email)!;
            if (str(body.name)) contact.name = str(body.name);
            if (str(body.phone)) contact.phone = str(body.phone);
            if (str(body.external_id)) contact.externalId = str(body.external_id);
            contact.updates++;
            return new Reply(200, present(contact));
          },
        ],
        [
          /^\/contacts\/[a-f0-9]+\/notes$/,
          'POST',
          async ({ path, body }) => {
            const contactId = path.split('/')[2] ?? '';
            if (!fake.contacts.some((c) => c.id === contactId)) return icError(404, 'not_found', 'User Not Found');
            if (body.admin_id !== '991267') return icError(400, 'parameter_invalid', 'admin_id is invalid');
            const note: FakeNote = { id: core.id(), contactId, body: typeof body.body === 'string' ? body.body : '' };
            await storeNote(fake, note);
            return new Reply(200, {
              type: 'note',
              id: note.id,
              created_at: Math.floor(Date.now() / 1000),
              contact: { type: 'contact', id: contactId },
              author: { type: 'admin', id: '991267' },
              body: note.body,
            });
          },
        ],
        [
          /^\/contacts\/[a-f0-9]+\/notes$/,
          'GET',
          ({ path }) => {
            const contactId = path.split('/')[2] ?? '';
            const found = fake.notes.filter((n) => n.contactId === contactId).reverse();
            return new Reply(200, {
              type: 'list',
              data: found.map((n) => ({ type: 'note', id: n.id, body: n.body, contact: { type: 'contact', id: contactId } })),
              total_count: found.length,
              pages: { type: 'pages', page: 1, per_page: 50, total_pages: 1 },
            });
          },
        ],
      ];
    },
    () => new Reply(401, { type: 'error.list', request_id: 'x', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] }),
  );
}
