/**
 * A share token is `cs1.<expiry>.<base64url MAC>`. Node decodes base64url leniently: the low bits of
 * the last character carry no data (32 bytes are 43 characters, the last holding 4 data bits and 2
 * spare ones), so a token whose last character differs only in those bits decoded to the same MAC
 * and verified — a second, different string for the same link, which the revocation table (keyed
 * by the token's hash) did not know. Only the canonical spelling is accepted now.
 */
import test from 'ava';
import { Secret } from '../../services/config/secret.js';
import { signShareToken, verifyShareToken } from '../../services/conversations/extras.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const key = new Secret('share-token-test-secret-key-base-0123456789abcdef0123456789abcdef');
const conversationId = '2b0c1a53-5d0e-4a67-9a3b-1f2e3d4c5b6a';

test('a share token re-spelled in the spare bits of its last character is refused', (t) => {
  let checked = 0;
  // Different expiries give different MACs, hence different last characters.
  for (let i = 0; i < 16; i++) {
    const token = signShareToken(key, conversationId, Date.now() + 3_600_000 + i);
    t.is(verifyShareToken(key, conversationId, token), 'ok');
    const last = ALPHABET.indexOf(token.at(-1)!);
    for (let spare = 1; spare < 4; spare++) {
      const twin = token.slice(0, -1) + ALPHABET[(last & 0b111100) | ((last & 0b11) ^ spare)]!;
      t.is(Buffer.from(twin.split('.')[2]!, 'base64url').equals(Buffer.from(token.split('.')[2]!, 'base64url')), true, 'same bytes');
      t.is(verifyShareToken(key, conversationId, twin), 'invalid', `${twin} must not verify`);
      checked++;
    }
  }
  t.is(checked, 16 * 3);
});
