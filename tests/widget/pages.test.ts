/**
 * The gateway serves the built widget (gateway/routes/widget-pages.ts):
 * `/widget.js` to any site (CORS, gzip, ETag), the `/chat` page framable
 * (no X-Frame-Options) under a strict CSP whose frame-ancestors follow the
 * account's allowed origins, and the page's hashed assets with a long cache.
 */
import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { DIST, ensureWidgetBuilt } from './build-widget.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api }>;

test.before(async (t) => {
  await ensureWidgetBuilt();
  const stack = await startStack({ worker: false });
  t.context = { stack, api: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly the headers given (fetch would add accept-encoding and decode). */
function get(baseUrl: string, pathname: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(baseUrl + pathname, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('widget.js is served to any site, gzipped when accepted, cached briefly and revalidated by ETag', async (t) => {
  const { baseUrl } = t.context.stack;
  const built = readFileSync(path.join(DIST, 'widget.js'));
  const plain = await get(baseUrl, '/widget.js', { origin: 'https://shop.example.com' });
  t.is(plain.status, 200);
  t.regex(String(plain.headers['content-type']), /^text\/javascript/);
  t.is(plain.headers['access-control-allow-origin'], '*');
  t.is(plain.headers['cross-origin-resource-policy'], 'cross-origin');
  t.regex(String(plain.headers['cache-control']), /max-age=300/);
  t.is(plain.headers['content-encoding'], undefined);
  t.deepEqual(plain.body, built);

  const gz = await get(baseUrl, '/widget.js', { 'accept-encoding': 'gzip, br' });
  t.is(gz.headers['content-encoding'], 'gzip');
  t.deepEqual(gunzipSync(gz.body), built);
  t.log(`widget.js on the wire: ${gz.body.length} bytes`);

  const etag = String(plain.headers.etag);
  const again = await get(baseUrl, '/widget.js', { 'if-none-match': etag });
  t.is(again.status, 304);
  t.is(again.body.length, 0);
});

test('the chat page can be framed by any site by default, under a strict CSP', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http, 'Frames');
  const res = await get(stack.baseUrl, `/chat?token=${agent.accountId}`);
  t.is(res.status, 200);
  t.regex(String(res.headers['content-type']), /^text\/html/);
  t.is(res.headers['x-frame-options'], undefined);
  const csp = String(res.headers['content-security-policy']);
  t.regex(csp, /default-src 'none'/);
  t.regex(csp, /script-src 'self'(;|$)/);
  t.regex(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
  t.regex(csp, /frame-ancestors \*/);
  t.notRegex(csp, /unsafe-inline|unsafe-eval/);
  t.regex(res.body.toString(), /<script type="module" crossorigin src="\/widget\/assets\/chat-[\w-]+\.js"><\/script>/);
});

test("an account's allowed origins become the chat page's frame-ancestors", async (t) => {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http, 'Allowlist');
  const put = await http.put(
    `/api/accounts/${agent.accountId}`,
    { account: { allowed_origins: ['https://shop.example.com', 'http://localhost:8080'] } },
    agent.token,
  );
  t.is(put.status, 200, JSON.stringify(put.body));
  const res = await get(stack.baseUrl, `/chat?token=${agent.accountId}`);
  t.regex(
    String(res.headers['content-security-policy']),
    /frame-ancestors 'self' https:\/\/shop\.example\.com http:\/\/localhost:8080(;|$)/,
  );
});

test('the page assets are cached for a year; other paths under /widget are not served', async (t) => {
  const { baseUrl } = t.context.stack;
  const asset = readdirSync(path.join(DIST, 'assets')).find((f) => f.endsWith('.js'))!;
  const res = await get(baseUrl, `/widget/assets/${asset}`);
  t.is(res.status, 200);
  t.regex(String(res.headers['content-type']), /^text\/javascript/);
  t.is(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.is((await get(baseUrl, '/widget/assets/missing-abc.js')).status, 404);
  t.is((await get(baseUrl, '/widget/assets/..%2Fwidget.js')).status, 404);
  t.is((await get(baseUrl, '/widget/sizes.json')).status, 404);
  // The other pages still answer through the chained fallback.
  t.is((await get(baseUrl, '/', { accept: 'text/html' })).status, 200);
});
