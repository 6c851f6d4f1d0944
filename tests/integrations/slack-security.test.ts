/**
 * The checks the integrations rest on, without servers: Slack request
 * signatures and OAuth states, the inbound-email signature, the encrypted
 * secret box, and the configuration rules for the encryption key.
 */
import test from 'ava';
import { createHmac } from 'node:crypto';
import { ConfigError } from '../../services/config/index.js';
import {
  integrationSecret,
  loadIntegrationSettings,
  parseNoteMarker,
  sealIntegrationSecret,
  signInboundEmail,
  signSlackState,
  verifyInboundEmailSignature,
  verifySlackSignature,
  verifySlackState,
} from '../../services/integrations/index.js';
import { isAppError } from '../../services/errors.js';

const settings = loadIntegrationSettings({
  NODE_ENV: 'test',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
  NETIA_ENCRYPTION_KEY: 'unit-test-encryption-key-0123456789abcdef',
  INBOUND_EMAIL_SECRET: 'unit-test-inbound-secret',
});

function slackHeaders(body: string, ts: number, secret = '8f742231b10e8888abcd99yyyzzz85a5'): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isAppError(err) ? err.code : 'not an AppError';
  }
}

test('a Slack signature over the exact body within 5 minutes passes; another body, secret, or an old/future timestamp does not', (t) => {
  const now = 1_700_000_000_000;
  const body = 'token=x&team_id=T1&api_app_id=A1';
  const ts = now / 1000 - 30;
  t.is(
    codeOf(() => verifySlackSignature(settings, slackHeaders(body, ts), Buffer.from(body), now)),
    undefined,
  );
  t.is(
    codeOf(() => verifySlackSignature(settings, slackHeaders(body, ts), Buffer.from(body + ' '), now)),
    'UNAUTHENTICATED',
  );
  t.is(
    codeOf(() => verifySlackSignature(settings, slackHeaders(body, ts, 'another-secret-0000000'), Buffer.from(body), now)),
    'UNAUTHENTICATED',
  );
  t.is(
    codeOf(() => verifySlackSignature(settings, slackHeaders(body, now / 1000 - 301), Buffer.from(body), now)),
    'UNAUTHENTICATED',
  );
  t.is(
    codeOf(() => verifySlackSignature(settings, slackHeaders(body, now / 1000 + 301), Buffer.from(body), now)),
    'UNAUTHENTICATED',
  );
  t.is(
    codeOf(() => verifySlackSignature(settings, {}, Buffer.from(body), now)),
    'UNAUTHENTICATED',
  );
  const unconfigured = loadIntegrationSettings({ NODE_ENV: 'test' });
  t.is(
    codeOf(() => verifySlackSignature(unconfigured, slackHeaders(body, ts), Buffer.from(body), now)),
    'UNAVAILABLE',
    'no secret: refused, never accepted',
  );
});

test('an OAuth state works only for its account, unaltered, before it expires', (t) => {
  const now = Date.now();
  const state = signSlackState(settings, { accountId: 'acc-1', userId: 7, inboxId: 'inbox-1' }, now);
  t.deepEqual(verifySlackState(settings, state, 'acc-1', now + 1000), { inboxId: 'inbox-1' });
  t.is(
    codeOf(() => verifySlackState(settings, state, 'acc-2', now)),
    'FORBIDDEN',
  );
  t.is(
    codeOf(() => verifySlackState(settings, state, 'acc-1', now + 16 * 60 * 1000)),
    'FORBIDDEN',
  );
  const [body, mac] = state.split('.');
  const forgedBody = Buffer.from(JSON.stringify({ a: 'acc-2', u: 1, i: null, e: now + 60_000, n: 'x' })).toString('base64url');
  t.is(
    codeOf(() => verifySlackState(settings, `${forgedBody}.${mac}`, 'acc-2', now)),
    'FORBIDDEN',
  );
  t.is(
    codeOf(() => verifySlackState(settings, `${body}`, 'acc-1', now)),
    'FORBIDDEN',
  );
  const otherServer = loadIntegrationSettings({ NODE_ENV: 'test', NETIA_ENCRYPTION_KEY: 'a-different-server-key-0123456789abcdefgh' });
  t.is(
    codeOf(() => verifySlackState(otherServer, state, 'acc-1', now)),
    'FORBIDDEN',
  );
});

test('the inbound-email signature covers timestamp and body', (t) => {
  const now = 1_700_000_000_000;
  const body = Buffer.from('{"message_id":"m1"}');
  const header = signInboundEmail('unit-test-inbound-secret', body, now / 1000);
  t.is(
    codeOf(() => verifyInboundEmailSignature(settings, header, body, now)),
    undefined,
  );
  t.is(
    codeOf(() => verifyInboundEmailSignature(settings, header, Buffer.from('{"message_id":"m2"}'), now)),
    'UNAUTHENTICATED',
  );
  t.is(
    codeOf(() => verifyInboundEmailSignature(settings, header.replace(`t=${now / 1000}`, `t=${now / 1000 + 1}`), body, now)),
    'UNAUTHENTICATED',
  );
  t.is(
    codeOf(() => verifyInboundEmailSignature(settings, header, body, now + 10 * 60 * 1000)),
    'UNAUTHENTICATED',
  );
  t.is(
    codeOf(() => verifyInboundEmailSignature(settings, undefined, body, now)),
    'UNAUTHENTICATED',
  );
});

test('secrets round-trip through the box; a tampered box or another key fails to open', (t) => {
  const box = sealIntegrationSecret(settings.encryptionKey, { access_token: 'xoxb-secret-token' });
  t.false(box.includes('xoxb'));
  t.deepEqual(integrationSecret(settings.encryptionKey, { secret_box: box }), { access_token: 'xoxb-secret-token' });
  t.not(sealIntegrationSecret(settings.encryptionKey, { access_token: 'xoxb-secret-token' }), box, 'a fresh IV each time');
  const parts = box.split(':');
  const data = Buffer.from(parts[3]!, 'base64url');
  data[0] = data[0]! ^ 1;
  const tampered = [...parts.slice(0, 3), data.toString('base64url')].join(':');
  t.is(
    codeOf(() => integrationSecret(settings.encryptionKey, { secret_box: tampered })),
    'INTERNAL',
  );
  const other = loadIntegrationSettings({ NODE_ENV: 'test', NETIA_ENCRYPTION_KEY: 'a-different-server-key-0123456789abcdefgh' });
  t.is(
    codeOf(() => integrationSecret(other.encryptionKey, { secret_box: box })),
    'INTERNAL',
  );
  t.is(String(settings.encryptionKey), '[secret]', 'the key never prints');
});

test('production refuses to start without an encryption secret; a short one is named', (t) => {
  const missing = t.throws(() => loadIntegrationSettings({ NODE_ENV: 'production' }), { instanceOf: ConfigError });
  t.regex(missing.message, /NETIA_ENCRYPTION_KEY/);
  t.notThrows(() => loadIntegrationSettings({ NODE_ENV: 'production', SECRET_KEY_BASE: 'x'.repeat(40) }));
  const short = t.throws(() => loadIntegrationSettings({ NODE_ENV: 'development', NETIA_ENCRYPTION_KEY: 'short' }), {
    instanceOf: ConfigError,
  });
  t.regex(short.message, /NETIA_ENCRYPTION_KEY/);
  t.is(loadIntegrationSettings({ SLACK_API_URL: 'http://127.0.0.1:9/api' }).slack.apiUrl, 'http://127.0.0.1:9/api/');
});

test('`;;` and `\\\\` at the start of a Slack reply make a private note without the marker', (t) => {
  t.deepEqual(parseNoteMarker(';; call them back'), { body: 'call them back', isNote: true });
  t.deepEqual(parseNoteMarker('  \\\\ internal'), { body: 'internal', isNote: true });
  t.deepEqual(parseNoteMarker('hello ;; world'), { body: 'hello ;; world', isNote: false });
});
