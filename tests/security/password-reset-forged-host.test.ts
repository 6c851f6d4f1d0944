/**
 * Attack: request a password reset for a victim with a forged `Host` header
 * (`evil.example`), hoping the emailed link points at the attacker's site and
 * leaks the victim's reset token when clicked. The link must be built from
 * PUBLIC_URL (or, without it, the configured listen address), never from Host.
 */
import { request } from 'node:http';
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { capturingLogger, type Logged } from '../helpers/logs.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ plain: Stack; withUrl: Stack; logged: Logged[] }>;

/** POST /api/reset_password with a chosen Host header (fetch would not let us set it). */
function resetWithHost(baseUrl: string, host: string, email: string): Promise<number> {
  const url = new URL('/api/reset_password', baseUrl);
  const body = JSON.stringify({ email });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test.before(async (t) => {
  const logged: Logged[] = [];
  const [plain, withUrl] = await Promise.all([
    startStack({ worker: false, log: capturingLogger(logged) }),
    startStack({ worker: false, log: capturingLogger(logged), env: { PUBLIC_URL: 'https://support.netia.test/' } }),
  ]);
  t.context = { plain, withUrl, logged };
});
test.after.always(async (t) => {
  await Promise.all([t.context.plain?.stop(), t.context.withUrl?.stop()]);
});

async function linkFor(t: { context: { logged: Logged[] } }, stack: Stack, http: Api, host: string): Promise<URL> {
  const user = await registerAccount(http, 'Victim');
  const status = await resetWithHost(stack.baseUrl, host, user.email);
  if (status !== 200) throw new Error(`reset request answered ${status}`);
  const entry = t.context.logged.filter((l) => l.msg === 'password reset requested' && l.fields?.email === user.email).at(-1);
  if (!entry) throw new Error('no reset link was logged');
  return new URL(String(entry.fields!.link));
}

test('a forged Host header never appears in the reset link: PUBLIC_URL, else the configured listen address', async (t) => {
  const { plain, withUrl } = t.context;
  // Without PUBLIC_URL (development, tests): the original built `http://<Host>/reset?token=…`.
  const local = await linkFor(t, plain, api(plain.baseUrl), 'evil.example:8443');
  t.false(local.href.includes('evil.example'), local.href);
  t.is(local.origin, `http://${plain.config.http.host}:${plain.config.http.port}`, 'the configured listen address');
  t.is(local.pathname, '/reset');

  const link = await linkFor(t, withUrl, api(withUrl.baseUrl), 'evil.example');
  t.false(link.href.includes('evil.example'), link.href);
  t.is(link.origin, 'https://support.netia.test');
  t.regex(link.searchParams.get('token') ?? '', /^[A-Za-z0-9_-]{43}$/);
});
