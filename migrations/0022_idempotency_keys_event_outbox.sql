-- Issue #16: creation requests that are safe to retry, and events the gateway
-- commits itself that survive a Temporal outage.

-- Idempotency keys of creation requests (POST /api/conversations,
-- POST /api/customers, POST /api/v1/customers). One row per key, scoped to the
-- account, the caller (`user:<id>`, `customer:<id>`, `visitor`) and the
-- operation, so nobody reads another caller's result. `fingerprint` is a hash
-- of the request body: the same key with another body is refused (422).
-- `resource_id` is the id reserved for what the request creates, so a retry
-- (or a concurrent duplicate) that finds the row unfinished creates the same
-- entity again, which the creation path treats as a no-op. `response_*` is the
-- first answer, replayed to every retry until `expires_at` (24 h); housekeeping
-- deletes expired rows.
CREATE TABLE idempotency_keys (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  caller text NOT NULL,
  operation text NOT NULL,
  key text NOT NULL CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
  fingerprint text NOT NULL,
  resource_id uuid NOT NULL,
  response_status integer,
  response_body jsonb,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CONSTRAINT idempotency_keys_pkey PRIMARY KEY (account_id, caller, operation, key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

-- Outbound events of rows the gateway commits itself (`customer:created`),
-- written in the same transaction as the row. The gateway dispatches a new
-- row at once (best effort); the outbox sweeper (a Temporal Schedule) takes
-- every row still pending, so an event is never lost when Temporal is down
-- at commit time. Dispatch is idempotent by job id (the delivery workflow
-- id), so a row dispatched twice (kick and sweep racing) delivers once.
-- Housekeeping deletes dispatched rows after a day.
CREATE TABLE event_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT event_outbox_pkey PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  event_type text NOT NULL CONSTRAINT event_outbox_type_not_blank CHECK (btrim(event_type) <> ''),
  event jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX event_outbox_pending_idx ON event_outbox (id) WHERE dispatched_at IS NULL;
CREATE INDEX event_outbox_dispatched_idx ON event_outbox (dispatched_at) WHERE dispatched_at IS NOT NULL;
