-- Session replay ("Storytime", issue #20): per-account settings, recorded browser sessions and
-- their rrweb events. The original stored sessions and events but let anyone create, read and
-- delete them (docs/compatibility.md#storytime); here recording is off until an admin enables
-- it, every public write is bounded (services/browser-sessions/limits.ts) and old recordings
-- are deleted after the account's retention (the housekeeping schedule).

CREATE TABLE session_replay_settings (
  account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  enabled boolean NOT NULL DEFAULT false,
  sample_rate real NOT NULL DEFAULT 1
    CONSTRAINT session_replay_settings_sample_rate_range CHECK (sample_rate >= 0 AND sample_rate <= 1),
  -- Patterns matched against location.pathname by the recorder; `*` is a wildcard.
  excluded_paths text[] NOT NULL DEFAULT '{}'
    CONSTRAINT session_replay_settings_excluded_paths_count CHECK (cardinality(excluded_paths) <= 100),
  -- Shown to visitors while recording; null = the widget's default text.
  notice_text text,
  max_session_bytes integer NOT NULL DEFAULT 5242880
    CONSTRAINT session_replay_settings_max_session_bytes_range CHECK (max_session_bytes BETWEEN 65536 AND 52428800),
  retention_days integer NOT NULL DEFAULT 30
    CONSTRAINT session_replay_settings_retention_days_range CHECK (retention_days BETWEEN 1 AND 365),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE browser_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  customer_id uuid REFERENCES customers (id) ON DELETE CASCADE,
  conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  -- Bytes of the stored events' JSON and their count: the per-session cap and the account's
  -- stored-bytes bound read these instead of summing events.
  bytes bigint NOT NULL DEFAULT 0,
  event_count integer NOT NULL DEFAULT 0,
  -- Highest seq stored with no gap below it: the `acked_seq` of the socket reply.
  acked_seq integer NOT NULL DEFAULT 0,
  last_event_at timestamptz,
  current_url text,
  user_agent text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Listing per account (newest first), per customer, and the live ones (not finished, recent activity).
CREATE INDEX browser_sessions_account_started_idx ON browser_sessions (account_id, started_at DESC, id DESC);
CREATE INDEX browser_sessions_customer_idx ON browser_sessions (customer_id, started_at DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX browser_sessions_account_live_idx ON browser_sessions (account_id, (coalesce(last_event_at, started_at)))
  WHERE finished_at IS NULL;
CREATE INDEX browser_sessions_conversation_idx ON browser_sessions (conversation_id) WHERE conversation_id IS NOT NULL;
-- Retention: a session (with its events) goes when its last activity is older than the account's
-- retention_days; the purge walks this index from the oldest.
CREATE INDEX browser_sessions_retention_idx ON browser_sessions ((coalesce(last_event_at, started_at)));

CREATE TABLE browser_replay_events (
  id bigserial PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  browser_session_id uuid NOT NULL REFERENCES browser_sessions (id) ON DELETE CASCADE,
  seq integer NOT NULL CONSTRAINT browser_replay_events_seq_positive CHECK (seq >= 1),
  -- rrweb's timestamp (ms) in microseconds, as the original.
  timestamp bigint NOT NULL,
  event jsonb NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT browser_replay_events_session_seq_unique UNIQUE (browser_session_id, seq)
);
-- Deleting an account cascades here directly too (the unique index serves the session's cascade).
CREATE INDEX browser_replay_events_account_idx ON browser_replay_events (account_id);
