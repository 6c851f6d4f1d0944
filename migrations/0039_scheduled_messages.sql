-- Scheduled sends and follow-ups (issue #21 point 4). The conversation workflow owns each
-- scheduled message and its durable timer (workflows/conversation/scheduled.ts); this table is
-- its projection, for listing (also after the run continued as new or was archived). Each
-- write from the workflow carries a `revision` that only grows, so a retried or late write of
-- an older state never overwrites a newer one.
CREATE TABLE scheduled_messages (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  -- The agent's client id: creating twice with it is one schedule, and the message it sends carries it.
  client_id text NOT NULL,
  body text,
  private boolean NOT NULL DEFAULT false,
  send_at timestamptz NOT NULL,
  -- A follow-up: cancelled when the customer writes before it fires.
  cancel_on_customer_reply boolean NOT NULL DEFAULT false,
  -- Close the conversation when it fires (after sending the body, if any).
  close_conversation boolean NOT NULL DEFAULT false,
  status text NOT NULL CONSTRAINT scheduled_messages_status_valid CHECK (status IN ('scheduled', 'sent', 'cancelled')),
  cancel_reason text CONSTRAINT scheduled_messages_cancel_reason_valid CHECK (cancel_reason IN ('agent', 'customer_replied')),
  message_id uuid,
  revision integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT scheduled_messages_has_action CHECK (body IS NOT NULL OR close_conversation)
);
CREATE INDEX scheduled_messages_conversation_idx ON scheduled_messages (conversation_id, send_at);
CREATE UNIQUE INDEX scheduled_messages_client_unique ON scheduled_messages (conversation_id, created_by, client_id);
