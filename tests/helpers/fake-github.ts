/**
 * A local GitHub for tests, speaking the REST wire format of the calls Netia makes (JSON,
 * `Authorization: Bearer`, GitHub's error bodies `{message, documentation_url}`):
 * - `POST /login/oauth/access_token` (the web host's code exchange; a bad code answers 200 with `{error}` as GitHub does);
 * - `GET /user/installations` (user token);
 * - `POST /app/installations/{id}/access_tokens`, which verifies the App JWT (RS256 with the App's
 *   public key, `iss` = App id, not expired, at most 10 minutes long) and mints an installation token;
 * - `GET /installation/repositories`, `GET /search/issues`, `GET|POST /repos/{o}/{r}/issues`,
 *   `GET|PATCH /repos/{o}/{r}/issues/{n}` (installation token; a repository the installation cannot
 *   reach is 404, as on GitHub).
 * The install page (`GET /apps/{slug}/installations/new?state`) approves at once and redirects to
 * the setup URL with `code`, `installation_id`, `setup_action=install` and the state.
 * Webhooks: `webhook(event, payload)` builds a delivery signed like GitHub (`X-Hub-Signature-256`,
 * `X-GitHub-Event`, `X-GitHub-Delivery`); `closeIssue` / `editIssue` change an issue and return its
 * `issues` delivery. Scripted: `failNext(route, n, status)`; `afterCreate` runs after an issue is
 * stored and before the answer (to kill a worker there). Every call is recorded.
 * Not reproduced: pagination (`Link` headers), ETags, secondary rate limits, search syntax beyond
 * words and `is:issue`, GitHub's own webhook retries (GitHub does not retry; redelivery is manual).
 */
import { createHmac, createPublicKey, createVerify, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  repo: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface GithubCall {
  method: string;
  path: string;
  token: string | undefined;
  body: unknown;
}

export interface WebhookDelivery {
  body: string;
  headers: Record<string, string>;
}

export interface FakeGithub {
  apiUrl: string;
  appId: string;
  appSlug: string;
  clientId: string;
  clientSecret: string;
  /** The App's private key (PEM) for GITHUB_APP_PRIVATE_KEY. */
  privateKeyPem: string;
  /** The App's Setup URL the install page redirects to (default `/setup` on this fake; a console's `/settings/github` in browser tests). */
  setupUrl: string;
  /** The env keys pointing the stack at this fake (webhook secret as given). */
  env(webhookSecret: string): Record<string, string>;
  readonly calls: GithubCall[];
  readonly issues: FakeIssue[];
  /** An installation on `login` reaching `repos` (owner/name), visible to the users given codes for it. */
  addInstallation(login: string, repos: string[]): number;
  /** A code the install callback exchanges for a user who can see `installationIds`. */
  issueCode(installationIds: number[]): string;
  seedIssue(repo: string, title: string, body?: string): FakeIssue;
  closeIssue(issue: FakeIssue, reason: 'completed' | 'not_planned', installationId: number, secret: string): WebhookDelivery;
  editIssue(issue: FakeIssue, title: string, installationId: number, secret: string): WebhookDelivery;
  webhook(event: string, payload: unknown, secret: string): WebhookDelivery;
  failNext(route: string, count: number, status: number): void;
  afterCreate: ((issue: FakeIssue) => Promise<void>) | undefined;
  waitUntil(what: string, pred: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** GitHub's webhook signature: `sha256=` + hex HMAC-SHA256 of the raw body. */
export function signGithubWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function verifyJwt(jwt: string, publicKey: KeyObject, appId: string): boolean {
  const [h, p, s] = jwt.split('.');
  if (!h || !p || !s) return false;
  if (!createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s, 'base64url'))) return false;
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss?: unknown; iat?: number; exp?: number };
  const now = Math.floor(Date.now() / 1000);
  return (
    header.alg === 'RS256' &&
    String(claims.iss) === appId &&
    typeof claims.exp === 'number' &&
    typeof claims.iat === 'number' &&
    claims.exp > now &&
    claims.exp - claims.iat <= 600
  );
}

export async function startFakeGithub(): Promise<FakeGithub> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const verifyKey = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  const appId = String(100000 + Math.floor(Math.random() * 800000));
  const appSlug = 'netia-test';
  const clientId = `Iv1.${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(20).toString('hex');
  const calls: GithubCall[] = [];
  const issues: FakeIssue[] = [];
  const installations = new Map<number, { login: string; repos: string[] }>();
  const codes = new Map<string, number[]>();
  const userTokens = new Map<string, number[]>();
  const installTokens = new Map<string, number>();
  const failures = new Map<string, { count: number; status: number }>();
  const waiters: Array<() => void> = [];
  let nextInstallation = 40_000_000 + Math.floor(Math.random() * 1_000_000);
  const notify = (): void => waiters.splice(0).forEach((w) => w());

  const present = (i: FakeIssue): Record<string, unknown> => ({
    id: i.number * 1000 + 7,
    number: i.number,
    html_url: i.html_url,
    url: `https://api.github.com/repos/${i.repo}/issues/${i.number}`,
    repository_url: `https://api.github.com/repos/${i.repo}`,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason,
    created_at: i.created_at,
    updated_at: i.updated_at,
    user: { login: `${appSlug}[bot]`, type: 'Bot' },
  });

  const store = (repo: string, title: string, body: string | null): FakeIssue => {
    const number = issues.filter((i) => i.repo === repo).length + 1;
    const now = new Date().toISOString();
    const issue: FakeIssue = {
      repo,
      number,
      title,
      body,
      state: 'open',
      state_reason: null,
      html_url: `https://github.com/${repo}/issues/${number}`,
      created_at: now,
      updated_at: now,
    };
    issues.push(issue);
    return issue;
  };

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, message: string): void =>
    send(res, status, { message, documentation_url: 'https://docs.github.com/rest' });

  let fake: FakeGithub;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = null;
      }
      const method = req.method ?? 'GET';
      calls.push({ method, path: `${url.pathname}${url.search}`, token, body });
      const route = `${method} ${url.pathname.replace(/\/\d+(?=\/|$)/g, '/:n').replace(/\/repos\/[^/]+\/[^/]+/, '/repos/:o/:r')}`;
      const failure = failures.get(route);
      if (failure && failure.count > 0) {
        failure.count--;
        return error(res, failure.status, 'Server Error');
      }
      // The install page approves at once (the test follows its redirect).
      const install = /^\/apps\/([^/]+)\/installations\/new$/.exec(url.pathname);
      if (method === 'GET' && install) {
        const id = fake.addInstallation('acme', ['acme/widgets']);
        const code = fake.issueCode([id]);
        res.writeHead(302, {
          location: `${fake.setupUrl}?code=${code}&installation_id=${id}&setup_action=install&state=${encodeURIComponent(url.searchParams.get('state') ?? '')}`,
        });
        return res.end();
      }
      if (method === 'POST' && url.pathname === '/login/oauth/access_token') {
        const args = body as { client_id?: string; client_secret?: string; code?: string } | null;
        const ids = args?.code ? codes.get(args.code) : undefined;
        if (args?.client_id !== clientId || args.client_secret !== clientSecret)
          return send(res, 200, { error: 'incorrect_client_credentials' });
        if (!ids) return send(res, 200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
        codes.delete(args.code!);
        const userToken = `ghu_${randomBytes(12).toString('hex')}`;
        userTokens.set(userToken, ids);
        return send(res, 200, { access_token: userToken, token_type: 'bearer', scope: '' });
      }
      if (method === 'GET' && url.pathname === '/user/installations') {
        const ids = token ? userTokens.get(token) : undefined;
        if (!ids) return error(res, 401, 'Bad credentials');
        return send(res, 200, {
          total_count: ids.length,
          installations: ids.map((id) => ({
            id,
            app_id: Number(appId),
            account: { login: installations.get(id)!.login, type: 'Organization' },
            repository_selection: 'selected',
          })),
        });
      }
      const mint = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
      if (method === 'POST' && mint) {
        if (!token || !verifyJwt(token, verifyKey, appId)) return error(res, 401, 'A JSON web token could not be decoded');
        const id = Number(mint[1]);
        if (!installations.has(id)) return error(res, 404, 'Not Found');
        const minted = `ghs_${randomBytes(12).toString('hex')}`;
        installTokens.set(minted, id);
        return send(res, 201, {
          token: minted,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { issues: 'write' },
        });
      }
      const installationId = token ? installTokens.get(token) : undefined;
      if (installationId === undefined) return error(res, 401, 'Bad credentials');
      const reach = installations.get(installationId)!.repos;
      if (method === 'GET' && url.pathname === '/installation/repositories') {
        return send(res, 200, {
          total_count: reach.length,
          repositories: reach.map((r) => ({ full_name: r, name: r.split('/')[1], private: true, html_url: `https://github.com/${r}` })),
        });
      }
      if (method === 'GET' && url.pathname === '/search/issues') {
        const words = (url.searchParams.get('q') ?? '')
          .split(/\s+/)
          .filter((w) => w && !w.includes(':'))
          .map((w) => w.toLowerCase());
        const items = issues.filter((i) => reach.includes(i.repo) && words.every((w) => i.title.toLowerCase().includes(w)));
        return send(res, 200, { total_count: items.length, incomplete_results: false, items: items.map(present) });
      }
      const repoMatch = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+))?$/.exec(url.pathname);
      if (repoMatch) {
        const repo = `${decodeURIComponent(repoMatch[1]!)}/${decodeURIComponent(repoMatch[2]!)}`;
        if (!reach.includes(repo)) return error(res, 404, 'Not Found');
        if (repoMatch[3]) {
          const issue = issues.find((i) => i.repo === repo && i.number === Number(repoMatch[3]));
          if (!issue) return error(res, 404, 'Not Found');
          return send(res, 200, present(issue));
        }
        if (method === 'GET') {
          const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
          const list = issues
            .filter((i) => i.repo === repo)
            .reverse()
            .slice(0, perPage);
          return send(res, 200, list.map(present));
        }
        if (method === 'POST') {
          const args = body as { title?: unknown; body?: unknown } | null;
          if (typeof args?.title !== 'string' || args.title === '') {
            return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] });
          }
          const issue = store(repo, args.title, typeof args.body === 'string' ? args.body : null);
          notify();
          if (fake.afterCreate) {
            try {
              await fake.afterCreate(issue);
            } catch {
              res.destroy();
              return;
            }
          }
          return send(res, 201, present(issue));
        }
      }
      return error(res, 404, 'Not Found');
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const webhook = (event: string, payload: unknown, secret: string): WebhookDelivery => {
    const body = JSON.stringify(payload);
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': randomUUID(),
        'x-github-hook-id': '1',
        'x-hub-signature-256': signGithubWebhook(secret, body),
        'user-agent': 'GitHub-Hookshot/fake',
      },
    };
  };
  const issuesEvent = (action: string, issue: FakeIssue, installationId: number, secret: string, extra: Record<string, unknown> = {}) =>
    webhook(
      'issues',
      {
        action,
        issue: present(issue),
        repository: { full_name: issue.repo, name: issue.repo.split('/')[1] },
        installation: { id: installationId, node_id: 'x' },
        sender: { login: 'octocat' },
        ...extra,
      },
      secret,
    );

  fake = {
    apiUrl,
    appId,
    appSlug,
    clientId,
    clientSecret,
    privateKeyPem,
    setupUrl: '/setup',
    env: (webhookSecret) => ({
      GITHUB_APP_ID: appId,
      GITHUB_APP_SLUG: appSlug,
      GITHUB_APP_PRIVATE_KEY: privateKeyPem,
      GITHUB_CLIENT_ID: clientId,
      GITHUB_CLIENT_SECRET: clientSecret,
      GITHUB_WEBHOOK_SECRET: webhookSecret,
      GITHUB_API_URL: apiUrl,
      GITHUB_WEB_URL: apiUrl,
    }),
    calls,
    issues,
    addInstallation: (login, repos) => {
      const id = nextInstallation++;
      installations.set(id, { login, repos });
      return id;
    },
    issueCode: (ids) => {
      const code = randomBytes(10).toString('hex');
      codes.set(code, ids);
      return code;
    },
    seedIssue: (repo, title, body) => store(repo, title, body ?? null),
    closeIssue: (issue, reason, installationId, secret) => {
      issue.state = 'closed';
      issue.state_reason = reason;
      issue.updated_at = new Date().toISOString();
      return issuesEvent('closed', issue, installationId, secret);
    },
    editIssue: (issue, title, installationId, secret) => {
      const from = issue.title;
      issue.title = title;
      issue.updated_at = new Date().toISOString();
      return issuesEvent('edited', issue, installationId, secret, { changes: { title: { from } } });
    },
    webhook,
    failNext: (route, count, status) => failures.set(route, { count, status }),
    afterCreate: undefined,
    waitUntil: async (what, pred, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pred()) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`fake GitHub: timed out waiting for ${what}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 1000));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}
