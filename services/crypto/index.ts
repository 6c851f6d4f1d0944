/**
 * @module services/crypto
 * The one home of the product's own cryptography: sealing secrets at rest
 * (secretbox.ts, one versioned format, a key per purpose), the re-seal of
 * values stored in a retired format (reseal.ts), and HMAC signing with
 * constant-time verification (signing.ts). Hashes used as lookup keys
 * (`createHash`) and vendor SDKs' own checks (Twilio's `validateRequest`) stay
 * where they are used.
 * Must not import: gateway, Temporal.
 */
export { deriveSecretBoxKey, importSecretBoxKey, isRetiredBox, open, openJson, seal, sealJson, type SecretBoxKey } from './secretbox.js';
export { resealRetiredBoxes, type ResealReport, type SealedColumn } from './reseal.js';
export {
  deriveKeyByLabel,
  hmacSha256,
  hmacSha256Hex,
  safeEqual,
  secretKeyBaseKey,
  verifyBase64urlMac,
  verifyHexMac,
  type MacKey,
} from './signing.js';
