-- SLA policies (issue #21 item 1). An account's policies: targets in minutes of the account's
-- working hours for the first response, each next response and the resolution, optionally only
-- for one inbox, one priority or one tag (the first enabled policy by `position` that matches a
-- conversation applies), how long before a breach the assignee is warned, and who a breach is
-- escalated to (`escalate_to_user_id`; null: every agent).
CREATE TABLE sla_policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL CONSTRAINT sla_policies_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
  position integer NOT NULL DEFAULT 0,
  enabled boolean NOT NULL DEFAULT true,
  inbox_id uuid REFERENCES inboxes (id) ON DELETE CASCADE,
  priority text CONSTRAINT sla_policies_priority_valid CHECK (priority IN ('priority', 'not_priority')),
  tag_id uuid REFERENCES tags (id) ON DELETE CASCADE,
  first_response_minutes integer CONSTRAINT sla_policies_first_range CHECK (first_response_minutes BETWEEN 1 AND 525600),
  next_response_minutes integer CONSTRAINT sla_policies_next_range CHECK (next_response_minutes BETWEEN 1 AND 525600),
  resolution_minutes integer CONSTRAINT sla_policies_resolution_range CHECK (resolution_minutes BETWEEN 1 AND 525600),
  warn_before_minutes integer NOT NULL DEFAULT 15 CONSTRAINT sla_policies_warn_range CHECK (warn_before_minutes BETWEEN 0 AND 10080),
  escalate_to_user_id integer REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sla_policies_has_target CHECK (COALESCE(first_response_minutes, next_response_minutes, resolution_minutes) IS NOT NULL)
);
CREATE INDEX sla_policies_account_idx ON sla_policies (account_id, position);

-- One SLA clock of one conversation: (conversation, metric, started_at), a first response, one
-- next response per customer turn, one resolution per time the conversation is worked on. The conversation's workflow
-- holds the clocks (workflows/conversation/sla.ts) and writes each change here through the
-- `recordSla` activity; `revision` grows with every change the workflow makes, so a retried or
-- late write never overwrites a newer one. `due_at` is null while the clock is paused (snoozed,
-- or waiting on the customer); `remaining_ms` is what is left of the target then, in working time.
-- `status`: active | paused | met | breached | cancelled (closed before a response was due).
CREATE TABLE sla_targets (
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  metric text NOT NULL CONSTRAINT sla_targets_metric_valid CHECK (metric IN ('first_response', 'next_response', 'resolution')),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  policy_id uuid REFERENCES sla_policies (id) ON DELETE SET NULL,
  policy_name text NOT NULL,
  inbox_id uuid REFERENCES inboxes (id) ON DELETE SET NULL,
  assignee_id integer REFERENCES users (id) ON DELETE SET NULL,
  target_minutes integer NOT NULL,
  started_at timestamptz NOT NULL,
  due_at timestamptz,
  remaining_ms bigint NOT NULL,
  status text NOT NULL CONSTRAINT sla_targets_status_valid CHECK (status IN ('active', 'paused', 'met', 'breached', 'cancelled')),
  warned_at timestamptz,
  breached_at timestamptz,
  completed_at timestamptz,
  revision integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, metric, started_at)
);
-- The console's badges and "breaching soon" (open clocks by due time), and reporting (completed clocks).
CREATE INDEX sla_targets_open_idx ON sla_targets (account_id, due_at) WHERE completed_at IS NULL;
CREATE INDEX sla_targets_completed_idx ON sla_targets (account_id, completed_at) WHERE completed_at IS NOT NULL;

-- Email me SLA warnings and breaches (Settings → Notifications); the live alert always shows.
ALTER TABLE user_settings ADD COLUMN email_alert_on_sla boolean NOT NULL DEFAULT true;
