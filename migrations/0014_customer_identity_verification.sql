-- Which customer identifiers a trusted party established (issue #13, part 2 and 3).
--
-- Inbound channels (forwarded email, Gmail, SMS, Slack) file a message under a customer
-- found by email / phone / external id. Before this, any customer matched, including one
-- whose address a website visitor had typed: a visitor claiming ceo@victim.com received the
-- real person's mail in their lobby. Now each identifier carries who vouched for it:
--   email_verified_by        'email' (signed forwarding webhook), 'gmail' (mailbox sync), 'agent'
--   phone_verified_by        'sms' (signed Twilio webhook), 'agent'
--   external_id_verified_by  'slack' (signed Slack event), 'user_hash' (widget, valid HMAC), 'agent'
-- NULL = typed by a visitor (or unknown): never matched by an inbound channel, and the
-- widget may change it. A verified one is matched by inbound channels (the oldest customer
-- wins, as before) and the widget can no longer change it. Several customers may carry the
-- same verified value (an agent may record an address a channel already established; one
-- person signs in on several devices with the same user_hash): matching takes the oldest.
--
-- Replies in SMS conversations go to the number a signed inbound Twilio message
-- established for that conversation (sms_conversation_numbers), never to customers.phone.

ALTER TABLE customers
  ADD COLUMN email_verified_by text
    CONSTRAINT customers_email_verified_by_valid CHECK (email_verified_by IN ('email', 'gmail', 'agent')),
  ADD COLUMN phone_verified_by text
    CONSTRAINT customers_phone_verified_by_valid CHECK (phone_verified_by IN ('sms', 'agent')),
  ADD COLUMN external_id_verified_by text
    CONSTRAINT customers_external_id_verified_by_valid CHECK (external_id_verified_by IN ('slack', 'user_hash', 'agent'));

-- Existing data, conservatively: an identifier counts as verified only when the customer was
-- created by an inbound channel and that channel delivered a message from exactly that
-- identifier to it. "Created by an inbound channel": no IP recorded (POST /api/customers
-- always stores the caller's IP; inbound channels never do) and a message of the customer
-- that a signed inbound delivery produced (integration_inbound_events / gmail_threads, which
-- only the server writes; conversation.source alone is not evidence, since the public
-- conversation route accepted any source). Everything else, including customers created by
-- agents before this migration, stays unverified: an agent re-enters the value to verify it.
UPDATE customers cu SET phone_verified_by = 'sms'
WHERE cu.phone IS NOT NULL AND cu.ip IS NULL AND EXISTS (
  SELECT 1 FROM integration_inbound_events e JOIN messages m ON m.id = e.message_id
  WHERE e.provider = 'twilio' AND e.account_id = cu.account_id AND m.customer_id = cu.id
    AND m.metadata ->> 'from' = cu.phone);

UPDATE customers cu SET email_verified_by = 'email'
WHERE cu.email IS NOT NULL AND cu.ip IS NULL AND EXISTS (
  SELECT 1 FROM integration_inbound_events e JOIN messages m ON m.id = e.message_id
  WHERE e.provider = 'ses' AND e.account_id = cu.account_id AND m.customer_id = cu.id
    AND lower(m.metadata ->> 'ses_from') = lower(cu.email));

UPDATE customers cu SET email_verified_by = 'gmail'
WHERE cu.email IS NOT NULL AND cu.ip IS NULL AND cu.email_verified_by IS NULL AND EXISTS (
  SELECT 1 FROM gmail_threads g JOIN messages m ON m.conversation_id = g.conversation_id
  WHERE g.account_id = cu.account_id AND m.customer_id = cu.id AND m.metadata ? 'gmail_message_id'
    AND lower(m.metadata ->> 'gmail_from') = lower(cu.email));

UPDATE customers cu SET external_id_verified_by = 'slack'
WHERE cu.external_id IS NOT NULL AND cu.ip IS NULL AND EXISTS (
  SELECT 1 FROM integration_inbound_events e JOIN messages m ON m.id = e.message_id
  WHERE e.provider = 'slack' AND e.account_id = cu.account_id AND m.customer_id = cu.id
    AND m.metadata ->> 'slack_user' = cu.external_id);

-- Inbound matching looks only at verified identifiers.
CREATE INDEX customers_verified_email_idx ON customers (account_id, lower(email), inserted_at) WHERE email_verified_by IS NOT NULL;
CREATE INDEX customers_verified_phone_idx ON customers (account_id, phone, inserted_at) WHERE phone_verified_by IS NOT NULL;
CREATE INDEX customers_verified_external_id_idx ON customers (account_id, external_id, inserted_at) WHERE external_id_verified_by IS NOT NULL;

-- The number an SMS conversation's replies go to: the From of the latest signed inbound
-- Twilio message of that conversation.
CREATE TABLE sms_conversation_numbers (
  conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  phone text NOT NULL,
  -- The inbound message that established it.
  message_sid text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Existing SMS conversations: the From of their latest signed inbound message.
INSERT INTO sms_conversation_numbers (conversation_id, account_id, phone, message_sid)
SELECT DISTINCT ON (e.conversation_id) e.conversation_id, e.account_id, m.metadata ->> 'from', e.event_id
FROM integration_inbound_events e
JOIN messages m ON m.id = e.message_id AND m.conversation_id = e.conversation_id
JOIN conversations c ON c.id = e.conversation_id
WHERE e.provider = 'twilio' AND e.account_id IS NOT NULL AND m.metadata ->> 'from' IS NOT NULL
ORDER BY e.conversation_id, m.seq DESC;

-- The per-account hourly SMS budget counts an account's recent SMS deliveries.
CREATE INDEX integration_deliveries_account_kind_time_idx ON integration_deliveries (account_id, kind, inserted_at);
