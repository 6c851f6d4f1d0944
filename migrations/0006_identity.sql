-- Widget identity (issue #4; netia-api.md Q6 and DESIGN §5).
-- require_customer_token: socket joins for this account's customers need the
--   customer token issued by POST /api/customers (services/customers/token.ts).
-- identity_verification_secret: key of the user_hash HMAC that identifies a
--   visitor by external_id when require_identity_verification is on. Generated
--   on first use by getOrCreateIdentitySecret; shown to admins only.
ALTER TABLE accounts
  ADD COLUMN require_customer_token boolean NOT NULL DEFAULT false,
  ADD COLUMN identity_verification_secret text;
