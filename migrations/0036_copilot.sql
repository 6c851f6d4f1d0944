-- The agents' AI copilot (issue #21, item 5): conversation summaries made for the next agent
-- (on a handoff from the bot or an assignment, or on demand), and the account's switch.
-- Suggested replies and improved texts are never stored: they are drafts in the agent's reply box.
-- Constraint names are explicit: services map violations by name (CONTRIBUTING.md#adding-a-migration).

-- On by default: the copilot only works when the server has a model (OPENAI_API_KEY or
-- OPENAI_BASE_URL), and only agents see what it writes. An admin turns it off per account.
ALTER TABLE accounts ADD COLUMN copilot_enabled boolean NOT NULL DEFAULT true;

-- One row per summary made; the newest per conversation is the one shown. Older rows stay as a
-- record of what earlier agents were shown (a handful per conversation at most).
CREATE TABLE conversation_summaries (
  id uuid CONSTRAINT conversation_summaries_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT conversation_summaries_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL
    CONSTRAINT conversation_summaries_conversation_id_fkey REFERENCES conversations (id) ON DELETE CASCADE,
  -- The newest message (by seq) the summary covers; newer messages make it stale.
  up_to_seq integer NOT NULL CONSTRAINT conversation_summaries_up_to_seq_non_negative CHECK (up_to_seq >= 0),
  text text NOT NULL CONSTRAINT conversation_summaries_text_valid CHECK (btrim(text) <> '' AND length(text) <= 8000),
  model text NOT NULL,
  -- 'handoff': made when an agent first opened the conversation after the bot handed it over or it
  -- was (re)assigned; 'manual': an agent pressed Summarize or Refresh.
  trigger text NOT NULL DEFAULT 'manual' CONSTRAINT conversation_summaries_trigger_valid CHECK (trigger IN ('manual', 'handoff')),
  -- The conversation's assignee when the summary was made: a later reassignment makes a new one for the next agent.
  assignee_id integer CONSTRAINT conversation_summaries_assignee_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The agent whose click (or first view, for 'handoff') made it.
  created_by integer CONSTRAINT conversation_summaries_created_by_fkey REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX conversation_summaries_conversation_idx ON conversation_summaries (conversation_id, created_at DESC);
CREATE INDEX conversation_summaries_account_idx ON conversation_summaries (account_id);
