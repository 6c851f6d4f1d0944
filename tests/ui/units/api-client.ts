/**
 * The console's REST client (ui/src/lib/api.ts) against a scripted fetch: a 401
 * renews the session once and retries, concurrent 401s share one renewal, a
 * renewal done by another tab is adopted instead of spending a used renew
 * token, a dead renew token logs out, and renewal is scheduled before expiry.
 */
import { unitModuleTest } from '../../helpers/modules.js';
import { ApiError, createApiClient, describeError } from '../../../ui/src/lib/api.js';
import { RENEW_AFTER_MS, renewDelay, SESSION_KEY, type KeyValueStore } from '../../../ui/src/lib/session.js';
import type { Session } from '../../../ui/src/types.js';

const test = unitModuleTest(import.meta.url);

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const session = (token: string, renew: string): Session => ({
  token,
  renew_token: renew,
  user_id: 1,
  account_id: 'acc',
  email: 'a@b.co',
  issued_at: Date.now(),
});

interface Call {
  method: string;
  url: string;
  auth: string | undefined;
}

/** A fake server: `valid` access tokens, single-use `renewable` tokens that mint `next`. */
function fakeServer(valid: Set<string>, renewable: Map<string, string>) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization;
    calls.push({ method: init?.method ?? 'GET', url, auth });
    await new Promise((r) => setTimeout(r, 5));
    if (url === '/api/session/renew') {
      const next = auth ? renewable.get(auth) : undefined;
      if (!next) return new Response(JSON.stringify({ error: { status: 401, message: 'Invalid token' } }), { status: 401 });
      renewable.delete(auth!);
      valid.add(next);
      renewable.set(`r-${next}`, `${next}+`);
      return new Response(
        JSON.stringify({
          data: { token: next, renew_token: `r-${next}`, user_id: 1, account_id: 'acc', email: 'a@b.co', subscription: null },
        }),
        {
          status: 200,
        },
      );
    }
    if (!auth || !valid.has(auth))
      return new Response(JSON.stringify({ error: { code: 401, message: 'Not authenticated' } }), { status: 401 });
    return new Response(JSON.stringify({ data: { id: 1, email: 'a@b.co', account_id: 'acc', role: 'admin' } }), { status: 200 });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

test('a 401 renews the session once and retries the request with the new token', async (t) => {
  const store = memoryStore();
  store.setItem(SESSION_KEY, JSON.stringify(session('expired', 'r1')));
  const server = fakeServer(new Set(), new Map([['r1', 'fresh']]));
  const api = createApiClient({ storage: store, fetch: server.fetchImpl });
  const me = await api.me();
  t.is(me.id, 1);
  t.is(api.session()?.token, 'fresh');
  t.is(JSON.parse(store.getItem(SESSION_KEY)!).token, 'fresh', 'stored for the other tabs');
  t.deepEqual(
    server.calls.map((c) => `${c.url} ${c.auth}`),
    ['/api/me expired', '/api/session/renew r1', '/api/me fresh'],
  );
});

test('concurrent 401s share a single renewal', async (t) => {
  const store = memoryStore();
  store.setItem(SESSION_KEY, JSON.stringify(session('expired', 'r1')));
  const server = fakeServer(new Set(), new Map([['r1', 'fresh']]));
  const api = createApiClient({ storage: store, fetch: server.fetchImpl });
  await Promise.all([api.me(), api.me(), api.me()]);
  t.is(server.calls.filter((c) => c.url === '/api/session/renew').length, 1);
});

test('a renewal made by another tab is adopted instead of spending the used renew token', async (t) => {
  const store = memoryStore();
  store.setItem(SESSION_KEY, JSON.stringify(session('old', 'r-old')));
  const server = fakeServer(new Set(['other-tab-token']), new Map());
  const api = createApiClient({ storage: store, fetch: server.fetchImpl });
  // The other tab renewed: storage now holds its pair.
  store.setItem(SESSION_KEY, JSON.stringify(session('other-tab-token', 'r-other')));
  await api.me();
  t.is(api.session()?.token, 'other-tab-token');
  t.false(server.calls.some((c) => c.url === '/api/session/renew'));
});

test('when the renew token is no longer valid the session ends (log in again)', async (t) => {
  const store = memoryStore();
  store.setItem(SESSION_KEY, JSON.stringify(session('expired', 'dead')));
  const server = fakeServer(new Set(), new Map());
  const api = createApiClient({ storage: store, fetch: server.fetchImpl });
  const changes: Array<Session | null> = [];
  api.onSessionChange((s) => changes.push(s));
  const err = await t.throwsAsync(api.me());
  t.true(err instanceof ApiError);
  t.is((err as ApiError).status, 401);
  t.is(api.session(), null);
  t.is(store.getItem(SESSION_KEY), null);
  t.deepEqual(changes, [null]);
});

test('renewal is due well before the 30-minute access token expires', (t) => {
  const s = session('a', 'b');
  t.is(renewDelay({ ...s, issued_at: 1000 }, 1000), RENEW_AFTER_MS);
  t.true(RENEW_AFTER_MS < 30 * 60_000);
  t.is(renewDelay({ ...s, issued_at: 0, expires_at: 10 * 60_000 }, 0), 8 * 60_000);
  t.is(renewDelay({ ...s, issued_at: 0 }, 99 * 60_000), 0);
});

test('error bodies of every shape become readable messages', (t) => {
  t.is(
    describeError(new ApiError(422, 'Unprocessable Entity', { email: ['has invalid format'], base: ['nope'] })),
    'email: has invalid format; nope',
  );
  t.is(describeError(new ApiError(401, 'Invalid email or password')), 'Invalid email or password');
  t.is(describeError(new TypeError('Failed to fetch')), 'The server cannot be reached. Check your connection.');
});
