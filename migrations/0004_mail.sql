-- Outgoing email deliveries (issue #3): one row per email the worker handed to
-- the SMTP server, keyed by an idempotency key the activity derives from the
-- workflow's own ids (e.g. `unseen-reply:<message id>`, `reminder:<conversation
-- id>:<n>`). A retried activity finds its row and sends nothing. The row is
-- written after the SMTP transaction, so a crash in between resends the same
-- message; its Message-ID is derived from the key so receivers deduplicate it.
CREATE TABLE email_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- No foreign key: this is a record of what left the building, kept even if
  -- the conversation is deleted (the account's deletion still removes it).
  conversation_id uuid,
  idempotency_key text NOT NULL CONSTRAINT email_deliveries_idempotency_key_unique UNIQUE,
  -- What the email was for: 'unseen_reply', 'agent_reminder', …
  kind text NOT NULL CONSTRAINT email_deliveries_kind_not_blank CHECK (btrim(kind) <> ''),
  recipients text[] NOT NULL,
  -- The Message-ID header we sent (deterministic: `<sha256(idempotency_key)@netia>`).
  message_id text NOT NULL,
  status text NOT NULL DEFAULT 'sent' CONSTRAINT email_deliveries_status_valid CHECK (status IN ('sent')),
  inserted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_deliveries_conversation_idx ON email_deliveries (conversation_id, inserted_at) WHERE conversation_id IS NOT NULL;
CREATE INDEX email_deliveries_account_inserted_idx ON email_deliveries (account_id, inserted_at DESC);
