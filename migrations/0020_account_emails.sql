-- Account emails (issue #14): password reset, invitation, welcome, email
-- verification, role changed, user removed; and the built-in mailbox that
-- receives every email when SMTP_URL is unset outside production.

-- Addresses of users who existed before verification was introduced count as
-- verified (they were never asked); new registrations start unverified.
UPDATE users SET email_confirmed_at = COALESCE(email_confirmed_at, inserted_at);

-- Email verification links. Only a SHA-256 of each token is stored. A token
-- stays (used or not) until it expires, so reusing it answers "already
-- verified"; housekeeping deletes expired ones. `email` is the address the
-- link was sent to: a link for an address the user no longer has verifies nothing.
CREATE TABLE email_verification_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL CONSTRAINT email_verification_tokens_hash_unique UNIQUE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  inserted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_verification_tokens_user_idx ON email_verification_tokens (user_id, inserted_at);
CREATE INDEX email_verification_tokens_expires_idx ON email_verification_tokens (expires_at);

-- Account emails waiting for their workflow (workflows/account-email). The
-- gateway renders the email (its links carry one-time tokens) and writes it
-- here, then starts a workflow whose id is the idempotency key; the workflow's
-- activity sends it through sendOnce and deletes the row. So the token never
-- enters Temporal's history, and a crash sends the email once (sendOnce's
-- ledger) or retries it. Rows never picked up are purged by housekeeping.
CREATE TABLE email_outbox (
  idempotency_key text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind text NOT NULL CONSTRAINT email_outbox_kind_not_blank CHECK (btrim(kind) <> ''),
  recipients text[] NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  inserted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_outbox_inserted_idx ON email_outbox (inserted_at);

-- The built-in mailbox (development and tests, when SMTP_URL is unset): every
-- email the product sends, as it would have been sent. Written in the same
-- transaction as the email_deliveries row, so each email lands exactly once.
CREATE TABLE mailbox_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  idempotency_key text NOT NULL CONSTRAINT mailbox_messages_key_unique UNIQUE,
  kind text NOT NULL,
  recipients text[] NOT NULL,
  sender text NOT NULL,
  subject text NOT NULL,
  headers jsonb NOT NULL,
  text_body text NOT NULL,
  html_body text,
  inserted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mailbox_messages_account_idx ON mailbox_messages (account_id, inserted_at DESC);
CREATE INDEX mailbox_messages_inserted_idx ON mailbox_messages (inserted_at);
