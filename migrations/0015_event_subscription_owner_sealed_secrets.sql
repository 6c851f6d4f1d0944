-- Event subscriptions (issue #13): who created each one, and signing secrets
-- sealed at rest.
--
-- created_by_user_id: the user (an admin, or the user of an API key) who created
-- the subscription; NULL for subscriptions made before this migration and when
-- that user is deleted.
--
-- signing_secret now holds a secret box (services/crypto/secretbox.ts, AES-256-GCM,
-- key derived from NETIA_ENCRYPTION_KEY / SECRET_KEY_BASE for the purpose
-- "webhook-signing-secrets"). SQL cannot derive that key, so the plaintext
-- `whsec_…` secrets stored before this migration are sealed by the code
-- (services/event-subscriptions): every read of a plaintext secret seals it in
-- place, and each worker seals the remaining ones when it starts. The column
-- loses its plaintext default: the code seals every secret it makes, and a row
-- inserted without one (by hand) gets a sealed secret on its first read.

ALTER TABLE event_subscriptions
  ADD COLUMN created_by_user_id integer
    CONSTRAINT event_subscriptions_created_by_user_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  ALTER COLUMN signing_secret DROP DEFAULT,
  ALTER COLUMN signing_secret DROP NOT NULL;
