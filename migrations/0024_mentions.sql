-- @mentions in private notes (issue #17 item 3), as the original's `mentions`
-- table: one row per agent a note mentions, with the time that agent saw it.
-- Written by the conversation workflow's store activity in the same
-- transaction as the note (services/mentions); `seen_at` is set when the agent
-- opens the conversation or sends the socket `read`. The conversation list's
-- `mentioning` / `has_seen_mention` filters and the unread counter `mentioned`
-- read it by (account_id, user_id).

CREATE TABLE mentions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT mentions_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL CONSTRAINT mentions_conversation_id_fkey REFERENCES conversations (id) ON DELETE CASCADE,
  message_id uuid NOT NULL CONSTRAINT mentions_message_id_fkey REFERENCES messages (id) ON DELETE CASCADE,
  user_id integer NOT NULL CONSTRAINT mentions_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
  seen_at timestamptz,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mentions_message_user_unique UNIQUE (message_id, user_id)
);
CREATE INDEX mentions_user_idx ON mentions (account_id, user_id, conversation_id) INCLUDE (seen_at);
CREATE INDEX mentions_conversation_idx ON mentions (conversation_id);

-- Per-agent choice (Settings → Notifications): email me when a teammate mentions me.
ALTER TABLE user_settings ADD COLUMN email_alert_on_mention boolean NOT NULL DEFAULT true;
