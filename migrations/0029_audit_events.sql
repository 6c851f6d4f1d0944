-- Issue #18 item 5: the account's audit log. One row per successful admin or
-- destructive action (settings, roles, deletions, API keys, webhooks,
-- integrations), written by the route machinery (gateway/routes/define.ts,
-- services/audit) before the request is answered.
--
-- Who: the acting user (id, and their email and role at the time, copied so the
-- row still says who after the user is deleted: no foreign key on purpose) and,
-- for `/api/v1`, the personal API key (id only, no foreign key: keys are
-- deleted). What: an action name (`users.role.update`), the target's type and
-- id (text: user ids are integers, other ids uuids), and `before`/`after`
-- (secrets redacted before they reach this table). From where: the client IP as
-- the gateway resolved it (gateway/http/client-ip.ts, TRUSTED_PROXIES aware).
--
-- Retention: rows are kept for the life of the account (no sweeper deletes
-- them); deleting the account deletes its log (ON DELETE CASCADE).
CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_user_id integer,
  actor_email text,
  actor_role text,
  actor_api_key_id uuid,
  action text NOT NULL CONSTRAINT audit_events_action_length CHECK (char_length(action) BETWEEN 1 AND 200),
  target_type text NOT NULL CONSTRAINT audit_events_target_type_length CHECK (char_length(target_type) BETWEEN 1 AND 100),
  target_id text CONSTRAINT audit_events_target_id_length CHECK (char_length(target_id) <= 200),
  http_method text NOT NULL,
  http_path text NOT NULL,
  before jsonb,
  after jsonb,
  ip text,
  request_id text
);
-- Keyset pagination (newest first: id DESC) for the whole log and per filter.
CREATE INDEX audit_events_account_idx ON audit_events (account_id, id DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (account_id, actor_user_id, id DESC);
CREATE INDEX audit_events_action_idx ON audit_events (account_id, action, id DESC);
CREATE INDEX audit_events_target_idx ON audit_events (account_id, target_type, target_id, id DESC);
CREATE INDEX audit_events_time_idx ON audit_events (account_id, occurred_at DESC, id DESC);
