-- Email as a complete channel (issue #19 item 1).
--
-- Addresses an account no longer mails: a permanent bounce or a complaint reported by SES
-- (POST /api/ses/notifications), or a mail server's permanent refusal of the recipient (SMTP 5xx
-- to RCPT TO). Replies by email to such an address are not sent (the delivery is recorded as
-- failed) and the console shows the customer's address as suppressed. `email` is lower-case.
CREATE TABLE email_suppressions (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  email text NOT NULL CONSTRAINT email_suppressions_email_lower CHECK (email = lower(email)),
  reason text NOT NULL CONSTRAINT email_suppressions_reason_valid CHECK (reason IN ('bounce', 'complaint', 'rejected')),
  detail text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT email_suppressions_pkey PRIMARY KEY (account_id, email)
);

-- "Has this account an outbound channel" (services/outbound/active.ts) now asks for a forwarding
-- address too: replies in forwarded-email conversations go out by SMTP.
CREATE INDEX forwarding_addresses_account_idx ON forwarding_addresses (account_id);

-- An SES bounce or complaint names the mail by its Message-ID header: find which account sent it.
CREATE INDEX email_deliveries_message_id_idx ON email_deliveries (message_id);
