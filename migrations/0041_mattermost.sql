-- Mattermost two-way threads (issue #19, point 5).
--
-- An account connects one Mattermost server: a bot's personal access token (Bearer on
-- REST API v4) and the channel new conversations get a thread in, plus the token of the
-- outgoing webhook Mattermost signs its requests with. Both tokens are sealed like the
-- other integration secrets (AES-256-GCM, key NETIA_ENCRYPTION_KEY; `secret_box`).
-- Tables of their own rather than new values in `integrations.provider` and
-- `conversation_links.provider`: a server URL and a channel are per account, and the
-- thread of a conversation is a root post id.
CREATE TABLE mattermost_integrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT mattermost_integrations_account_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  -- Base URL of the Mattermost server (https://chat.example.com), without trailing slash.
  server_url text NOT NULL,
  -- The bot (or user) the token belongs to: its own posts are never taken back in (no echo).
  bot_user_id text NOT NULL,
  bot_username text,
  team_id text,
  channel_id text NOT NULL,
  channel_name text,
  -- {bot_token, webhook_token}, sealed.
  secret_box text NOT NULL,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mattermost_integrations_account_unique UNIQUE (account_id)
);
-- Inbound requests are matched by channel, then by their token (compared in constant time).
CREATE INDEX mattermost_integrations_channel_idx ON mattermost_integrations (channel_id);

-- A conversation's thread: the root post Netia posted in the channel. Replies under it
-- become messages of the conversation.
CREATE TABLE mattermost_threads (
  conversation_id uuid NOT NULL
    CONSTRAINT mattermost_threads_conversation_fkey REFERENCES conversations (id) ON DELETE CASCADE,
  account_id uuid NOT NULL CONSTRAINT mattermost_threads_account_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  channel_id text NOT NULL,
  root_id text NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mattermost_threads_pkey PRIMARY KEY (conversation_id),
  CONSTRAINT mattermost_threads_root_unique UNIQUE (account_id, root_id)
);
