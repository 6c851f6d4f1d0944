-- Automation rules and macros (issue #21 item 3; docs/automation.md).
-- A rule: when `trigger` happens in a conversation and every condition holds, run its actions in
-- order. Rules run by `position` (then id). Every change to an account's rules or macros bumps
-- `automation_versions.version` in the same transaction: the conversation workflow loads rules
-- through a local activity that returns that version with them, so the version a decision used
-- is recorded in the workflow's history and in the rule log.
CREATE TABLE automation_versions (
  account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  version integer NOT NULL DEFAULT 0,
  -- The last agent the `assign_round_robin` action chose in this account (the next one follows it).
  round_robin_last_user_id integer
);

CREATE TABLE automation_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL CONSTRAINT automation_rules_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
  enabled boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0,
  -- {"type": "message_created"} | {"type": "customer_waiting", "after_seconds": 600} ...
  trigger jsonb NOT NULL,
  conditions jsonb NOT NULL DEFAULT '[]',
  actions jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX automation_rules_account_idx ON automation_rules (account_id, position, id);

CREATE TABLE automation_macros (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL CONSTRAINT automation_macros_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
  -- A single key the console binds to Alt+<key> in the conversation view, or null.
  shortcut text CONSTRAINT automation_macros_shortcut_valid CHECK (shortcut ~ '^[0-9a-z]$'),
  actions jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT automation_macros_shortcut_unique UNIQUE (account_id, shortcut)
);
CREATE INDEX automation_macros_account_idx ON automation_macros (account_id, name);

-- The rule log: one row per rule (or macro) that ran in a conversation. `id` is chosen by the
-- workflow (deterministic), so a retried write stores it once.
CREATE TABLE automation_log (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  rule_id uuid,
  macro_id uuid,
  name text NOT NULL,
  event text NOT NULL,
  version integer NOT NULL,
  depth integer NOT NULL DEFAULT 0,
  -- [{"type": "add_tag", "ok": true}, {"type": "call_webhook", "ok": false, "error": "..."}]
  actions jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX automation_log_conversation_idx ON automation_log (conversation_id, at, id);
