-- Satisfaction surveys (issue #21 item 2). An account's survey settings (one row, absent = off),
-- and one survey per resolution: the csat workflow (workflows/csat) inserts the row when its
-- timer fires and the conversation is still closed since that close; the customer's rating is
-- written on it (and may be changed until expires_at). `closed_at` is the close the survey is
-- about: (conversation_id, closed_at) is unique, so a resolution gets one survey however often
-- the timer's activity is retried. `agent_id` is the assignee at that close.
CREATE TABLE csat_settings (
  account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  enabled boolean NOT NULL DEFAULT false,
  scale text NOT NULL DEFAULT 'five' CONSTRAINT csat_settings_scale_valid CHECK (scale IN ('five', 'thumbs')),
  delay_minutes integer NOT NULL DEFAULT 0 CONSTRAINT csat_settings_delay_range CHECK (delay_minutes BETWEEN 0 AND 10080),
  question text NOT NULL DEFAULT 'How would you rate the support you received?'
    CONSTRAINT csat_settings_question_length CHECK (char_length(btrim(question)) BETWEEN 1 AND 300),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The outbound dispatcher asks "any outbound channel?" per write (services/outbound/active.ts).
CREATE INDEX csat_settings_enabled_idx ON csat_settings (account_id) WHERE enabled;

CREATE TABLE csat_surveys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  agent_id integer REFERENCES users (id) ON DELETE SET NULL,
  closed_at timestamptz NOT NULL,
  channel text NOT NULL CONSTRAINT csat_surveys_channel_valid CHECK (channel IN ('widget', 'email')),
  scale text NOT NULL CONSTRAINT csat_surveys_scale_valid CHECK (scale IN ('five', 'thumbs')),
  question text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  -- 1..5; on the thumbs scale 1 (down) or 5 (up), so averages and reports read one way.
  score smallint CONSTRAINT csat_surveys_score_range CHECK (score BETWEEN 1 AND 5),
  comment text CONSTRAINT csat_surveys_comment_length CHECK (char_length(comment) <= 2000),
  rated_at timestamptz,
  -- Bumped by each rating (a changed rating is a new `conversation:rated` event).
  revision integer NOT NULL DEFAULT 0,
  CONSTRAINT csat_surveys_conversation_close_unique UNIQUE (conversation_id, closed_at),
  CONSTRAINT csat_surveys_rated_has_score CHECK ((score IS NULL) = (rated_at IS NULL))
);
CREATE INDEX csat_surveys_account_sent_idx ON csat_surveys (account_id, sent_at);
CREATE INDEX csat_surveys_customer_idx ON csat_surveys (customer_id, sent_at DESC);
