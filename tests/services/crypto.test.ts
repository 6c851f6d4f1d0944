/**
 * services/crypto without servers: the one sealing format (and the retired
 * framing it still reads), key derivation per purpose and per label, and the
 * constant-time MAC checks every signing module uses.
 */
import test from 'ava';
import { Secret } from '../../services/config/secret.js';
import {
  deriveKeyByLabel,
  deriveSecretBoxKey,
  hmacSha256,
  hmacSha256Hex,
  importSecretBoxKey,
  isRetiredBox,
  open,
  openJson,
  safeEqual,
  seal,
  sealJson,
  secretKeyBaseKey,
  verifyBase64urlMac,
  verifyHexMac,
} from '../../services/crypto/index.js';
import { signCustomerToken, verifyCustomerToken } from '../../services/customers/token.js';
import { loadIntegrationSettings } from '../../services/integrations/index.js';

const SECRET = 'crypto-test-encryption-key-0123456789abcdef';

/** Change the spare low bits of the last base64url character: the same bytes, another spelling. */
function respell(b64url: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(b64url.at(-1)!);
  return b64url.slice(0, -1) + alphabet[last ^ 1]!;
}

test('a box is v1:<iv>:<tag>:<ciphertext> and opens only with the key of its purpose', (t) => {
  const key = deriveSecretBoxKey(SECRET, 'gmail-tokens');
  const box = seal(key, 'refresh-token');
  t.regex(box, /^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
  t.false(isRetiredBox(box));
  t.is(open(key, box), 'refresh-token');
  t.throws(() => open(deriveSecretBoxKey(SECRET, 'webhook-signing-secrets'), box), { message: /cannot decrypt/ });
  t.throws(() => open(key, `${box}:extra`), { message: /not a secret box/ });
  t.deepEqual(openJson(key, sealJson(key, { a: 1 })), { a: 1 });
  t.throws(() => openJson(key, seal(key, '[1]')), { message: /JSON object/ });
});

test('the integrations key is the HKDF key of purpose "integrations", so their retired dotted boxes open with it', (t) => {
  const hex = loadIntegrationSettings({ NODE_ENV: 'test', NETIA_ENCRYPTION_KEY: SECRET }).encryptionKey.reveal();
  const imported = importSecretBoxKey('integrations', Buffer.from(hex, 'hex'));
  t.deepEqual(imported.key, deriveSecretBoxKey(SECRET, 'integrations').key);
  const retired = seal(imported, '{"access_token":"x"}').replaceAll(':', '.');
  t.true(isRetiredBox(retired));
  t.deepEqual(openJson(imported, retired), { access_token: 'x' });
  t.throws(() => importSecretBoxKey('integrations', Buffer.alloc(16)), { message: /32 bytes/ });
});

test('keys by label: HMAC-SHA256(secret, label), or one random key per label and process without SECRET_KEY_BASE', (t) => {
  t.deepEqual(secretKeyBaseKey(new Secret(SECRET), 'label a'), hmacSha256(SECRET, 'label a'));
  t.deepEqual(deriveKeyByLabel(SECRET, 'label a'), hmacSha256(SECRET, 'label a'));
  t.is(hmacSha256Hex('Jefe', 'what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  const a = secretKeyBaseKey(undefined, 'label a');
  t.is(a.length, 32);
  t.deepEqual(secretKeyBaseKey(undefined, 'label a'), a, 'stable within the process');
  t.notDeepEqual(secretKeyBaseKey(undefined, 'label b'), a, 'independent per label');
});

test('MAC checks: hex in either case, base64url in its canonical spelling only, nothing else', (t) => {
  const mac = hmacSha256('k', 'data');
  t.true(verifyHexMac(mac.toString('hex'), mac));
  t.true(verifyHexMac(mac.toString('hex').toUpperCase(), mac));
  t.false(verifyHexMac(mac.toString('hex').slice(2), mac));
  t.false(verifyHexMac(`${mac.toString('hex').slice(2)}zz`, mac));
  t.false(verifyHexMac(42, mac));

  const b64 = mac.toString('base64url');
  t.true(verifyBase64urlMac(b64, mac));
  t.false(verifyBase64urlMac(respell(b64), mac), 'the same bytes spelled otherwise');
  t.false(verifyBase64urlMac(`${b64}!`, mac), 'a foreign character Node would skip');
  t.false(verifyBase64urlMac(`${b64}=`, mac), 'padding');
  t.false(verifyBase64urlMac(undefined, mac));

  t.true(safeEqual('abc', 'abc'));
  t.false(safeEqual('abc', 'abcd'));
  t.false(safeEqual(Buffer.from('abd'), 'abc'));
});

test('a customer token verifies only in the spelling it was issued in', (t) => {
  const base = new Secret(SECRET);
  const token = signCustomerToken(base, 'account', 'customer');
  t.true(verifyCustomerToken(base, 'account', 'customer', token));
  t.false(verifyCustomerToken(base, 'account', 'customer', respell(token)));
  t.false(verifyCustomerToken(base, 'account', 'customer', `${token}.`));
});
