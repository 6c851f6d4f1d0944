/**
 * Known vectors of every MAC and sealed value clients, third parties or the
 * database hold, pinned before the signing and sealing code moved into
 * services/crypto: a token, signature or box made by an earlier build must
 * still come out byte for byte (or still open) after any refactor. The Slack
 * vector is the one in Slack's own documentation, the HMAC one RFC 4231's
 * test case 2; the others were produced by the code as it stood before the move.
 */
import test from 'ava';
import { Secret } from '../../services/config/secret.js';
import { signShareToken, verifyShareToken } from '../../services/conversations/extras.js';
import { computeUserHash, signCustomerToken, verifyCustomerToken, verifyUserHash } from '../../services/customers/token.js';
import { deriveSecretBoxKey, open } from '../../services/crypto/secretbox.js';
import {
  loadIntegrationSettings,
  signInboundEmail,
  verifyInboundEmailSignature,
  verifySlackSignature,
  verifySlackState,
} from '../../services/integrations/index.js';
import { integrationSecret } from '../../services/integrations/store.js';
import { loadWebhookSettings } from '../../services/webhooks/config.js';
import { signPayload, verifySignature } from '../../services/webhooks/signing.js';

const secretKeyBase = new Secret('vector-secret-key-base-0123456789abcdefghij');
const env = { NODE_ENV: 'test', NETIA_ENCRYPTION_KEY: 'unit-test-encryption-key-0123456789abcdef' } as const;
/** 2026-01-01T00:00:00Z. */
const T0 = 1_767_225_600;

test('share tokens keep their bytes: cs1.<expiry base36>.<base64url HMAC>', (t) => {
  const id = '0F8FAD5B-D9CB-469F-A165-70867728950E';
  const token = 'cs1.mjuohs00.XdTN6Thcuz6Ev5Kt_bukNF4E6HMcnLEBp6U-p-_RUBM';
  t.is(signShareToken(secretKeyBase, id, T0 * 1000), token);
  t.is(verifyShareToken(secretKeyBase, id.toLowerCase(), token, T0 * 1000 - 1), 'ok');
  t.is(verifyShareToken(secretKeyBase, id, token, T0 * 1000), 'expired');
  t.is(verifyShareToken(new Secret('another-secret-key-base-0123456789abcdefgh'), id, token, 0), 'invalid');
});

test('customer tokens keep their bytes: ct1.<base64url HMAC>', (t) => {
  const [account, customer] = ['C56A4180-65AA-42EC-A945-5FD21DEC0538', '9B2D1E3A-0000-4000-8000-00000000ABCD'];
  const token = 'ct1.hZwdFuFmtDqEFfTBoFCeKr9eIRdIDMNbkbQKIQ2CRX8';
  t.is(signCustomerToken(secretKeyBase, account, customer), token);
  t.true(verifyCustomerToken(secretKeyBase, account.toLowerCase(), customer, token));
  t.false(verifyCustomerToken(secretKeyBase, account, customer.replace('ABCD', 'ABCE'), token));
});

test('the identity-verification hash is the hex HMAC-SHA256 of the external id (RFC 4231 case 2 included)', (t) => {
  t.is(computeUserHash('Jefe', 'what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  const hash = '57532896702874556b5aa896e992fea788dc5bc76a94da229e8dee55438ba88f';
  t.is(computeUserHash('a'.repeat(64), 'user-42@example.com'), hash);
  t.true(verifyUserHash('a'.repeat(64), 'user-42@example.com', hash.toUpperCase()));
  t.false(verifyUserHash('a'.repeat(64), 'user-43@example.com', hash));
});

test('outgoing webhook signatures keep their bytes: v1=<hex HMAC of "<t>.<body>">', (t) => {
  const body = '{"event":"message:created","data":{"body":"héllo"}}';
  const signature = 'v1=9eb5708da3507b87e9b2f8b5d241d273f9c43f315257e9ae0806fd75a5cfa316';
  t.is(signPayload('whsec_vector', T0, body), signature);
  t.true(verifySignature({ secret: 'whsec_vector', body, timestamp: T0, signatureHeader: `v1=00, ${signature}`, nowSeconds: T0 }));
  t.false(verifySignature({ secret: 'whsec_vector', body, timestamp: T0, signatureHeader: signature.toUpperCase(), nowSeconds: T0 }));
});

test('inbound Slack and inbound email signatures verify the vendors’ vectors', (t) => {
  const slack = loadIntegrationSettings({ ...env, SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5' });
  const slackBody =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const headers = {
    'x-slack-request-timestamp': '1531420618',
    'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  };
  t.notThrows(() => verifySlackSignature(slack, headers, Buffer.from(slackBody), 1_531_420_618_000));
  t.throws(() => verifySlackSignature(slack, headers, Buffer.from(`${slackBody}&x=1`), 1_531_420_618_000));

  const email = loadIntegrationSettings({ ...env, INBOUND_EMAIL_SECRET: 'unit-test-inbound-secret' });
  const body = Buffer.from('{"message_id":"m-1"}');
  const header = 't=1767225600,v1=9f96a20ead0310d0d51646438e74b81eac405320249296262cc210b4be4637a6';
  t.is(signInboundEmail('unit-test-inbound-secret', body, T0), header);
  t.notThrows(() => verifyInboundEmailSignature(email, header, body, T0 * 1000));
});

test('a Slack OAuth state signed by an earlier build still verifies', (t) => {
  const settings = loadIntegrationSettings(env);
  const state =
    'eyJhIjoiYzU2YTQxODAtNjVhYS00MmVjLWE5NDUtNWZkMjFkZWMwNTM4IiwidSI6NywiaSI6bnVsbCwiZSI6MTc2NzIyNjUwMDAwMCwibiI6ImM4YWQwZGQ1YzhiNGU0OWEifQ.24dfc28dbff202fb6316132c178291b2cf22863bf81c1c7939960bc5fa5f46ee';
  t.deepEqual(verifySlackState(settings, state, 'c56a4180-65aa-42ec-a945-5fd21dec0538', T0 * 1000), { inboxId: null });
  t.throws(() => verifySlackState(settings, state.replace(/.$/, '0'), 'c56a4180-65aa-42ec-a945-5fd21dec0538', T0 * 1000));
});

test('values sealed by an earlier build still open: Gmail tokens, webhook signing secrets, integration secrets', (t) => {
  t.is(
    open(deriveSecretBoxKey(env.NETIA_ENCRYPTION_KEY, 'gmail-tokens'), 'v1:45W6C4fLYPupyDSw:fA35ALW9necG5asrfRcAbA:bTzac42Jk_oREoGhjdE'),
    'refresh-vector',
  );
  t.is(open(loadWebhookSettings(env).signingSecretKey, 'v1:i5sQZ_TLEDoax1tJ:oB8eoouIXREoG6WoNe2i1w:doC37kJxZxLPk18l'), 'whsec_vector');
  // The integrations' own framing before services/crypto became the one format (dots).
  const legacy = 'v1.mbGxWpczOE2Lh6IG.6WUXbUkWqu75_rIS7aByYA.4rK-zABfifP5M7kWuz2TuvvRoT7MKbZKJ7G6N54Q';
  t.deepEqual(integrationSecret(loadIntegrationSettings(env).encryptionKey, { secret_box: legacy }), { access_token: 'xoxb-vector' });
});
