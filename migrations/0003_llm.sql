-- AI replies (issue 3, item 5; netia-api.md §6, fixing Q12). The original
-- answered every customer message with no switch at all; here the bot is off
-- until an account turns it on, and an inbox may override its account.
-- Constraint names are explicit: services map violations by name (CONVENTIONS 13).

ALTER TABLE accounts ADD COLUMN ai_enabled boolean NOT NULL DEFAULT false;

-- NULL = inherit the account's setting; true/false overrides it for this inbox.
ALTER TABLE inboxes ADD COLUMN ai_enabled boolean;

-- One row per model call that produced a reply or a handoff. The activity keys
-- the row by its Temporal identity, so a retried activity never counts twice.
-- conversation_id carries no foreign key on purpose: usage is billing data and
-- outlives a deleted conversation; it goes away only with its account.
CREATE TABLE llm_usage (
  id uuid CONSTRAINT llm_usage_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT llm_usage_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid,
  idempotency_key text NOT NULL CONSTRAINT llm_usage_idempotency_key_not_blank CHECK (btrim(idempotency_key) <> ''),
  model text NOT NULL,
  -- NULL when the endpoint did not report usage (some OpenAI-compatible servers do not stream it).
  prompt_tokens integer CONSTRAINT llm_usage_prompt_tokens_non_negative CHECK (prompt_tokens >= 0),
  completion_tokens integer CONSTRAINT llm_usage_completion_tokens_non_negative CHECK (completion_tokens >= 0),
  total_tokens integer CONSTRAINT llm_usage_total_tokens_non_negative CHECK (total_tokens >= 0),
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT llm_usage_idempotency_key_unique UNIQUE (idempotency_key)
);
CREATE INDEX llm_usage_account_inserted_idx ON llm_usage (account_id, inserted_at);
