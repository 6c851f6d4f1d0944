-- Issue #19 point 7: Expo push to agents' phones (services/push/expo.ts).
-- The phone's token stays where the mobile app registers it
-- (user_settings.expo_push_token); this table is the send ledger: one row per
-- (delivery job, token), inserted and committed BEFORE the message goes to
-- Expo. A retried delivery (a worker killed between Expo's answer and our
-- record) finds the row and does not send again, so a phone is alerted at most
-- once per message (Expo's send API takes no idempotency key). After Expo's
-- answer the row holds its ticket; the housekeeping run later asks Expo for the
-- ticket's receipt (POST /--/api/v2/push/getReceipts), removes the token when
-- the receipt says DeviceNotRegistered, and marks the row checked. Every row is
-- deleted two days after it was written: longer than a delivery job is retried
-- (DELIVERY_MAX_TOTAL_MS, a day) so a late retry still finds it, and longer
-- than Expo keeps receipts (24 hours).
CREATE TABLE expo_push_sends (
  job_id text NOT NULL,
  token text NOT NULL,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- sending: committed before the request (an unanswered request stays so);
  -- sent: Expo gave a ticket (receipt pending); failed: Expo refused the message;
  -- checked: the ticket's receipt was read (`error` holds its error, if any).
  state text NOT NULL DEFAULT 'sending'
    CONSTRAINT expo_push_sends_state_valid CHECK (state IN ('sending', 'sent', 'failed', 'checked')),
  ticket_id text,
  error text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (job_id, token)
);
-- The receipt poll's scan: sent tickets, oldest first.
CREATE INDEX expo_push_sends_receipts_idx ON expo_push_sends (sent_at) WHERE state = 'sent';
CREATE INDEX expo_push_sends_inserted_idx ON expo_push_sends (inserted_at);
