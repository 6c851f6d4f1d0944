-- Outgoing webhooks (issue #8): every subscription gets a signing secret (payloads are signed
-- with HMAC-SHA256; the original sent them unsigned: netia-api.md Appendix A, Q8), and every
-- delivery is logged, one row per delivery job (the row's id is the job id, which is also the
-- delivery workflow id and the X-Netia-Delivery header), updated by each attempt.

-- Existing rows get a random secret here (gen_random_uuid draws from a cryptographic source);
-- new rows get one from the application (crypto.randomBytes).
ALTER TABLE event_subscriptions
  ADD COLUMN signing_secret text NOT NULL
    DEFAULT ('whsec_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')),
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN last_verification_error text;

CREATE TABLE webhook_deliveries (
  id text CONSTRAINT webhook_deliveries_pkey PRIMARY KEY,
  account_id uuid NOT NULL CONSTRAINT webhook_deliveries_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  subscription_id uuid NOT NULL
    CONSTRAINT webhook_deliveries_subscription_id_fkey REFERENCES event_subscriptions (id) ON DELETE CASCADE,
  event text NOT NULL,
  -- sending: an attempt is in flight; retrying: the last attempt failed and another will come;
  -- delivered: a 2xx answer; failed: given up (permanent answer, or the retry budget ran out).
  status text NOT NULL CONSTRAINT webhook_deliveries_status_valid CHECK (status IN ('sending', 'retrying', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  response_code integer,
  last_error text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
-- The console lists a subscription's deliveries newest first (keyset on inserted_at, id).
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, inserted_at DESC, id DESC);
CREATE INDEX webhook_deliveries_account_idx ON webhook_deliveries (account_id);
