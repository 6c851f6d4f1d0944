-- Gmail mailboxes linked to inboxes (issue #8), and where each file's bytes live.

-- One connected Gmail mailbox per inbox. Tokens are stored only encrypted (AES-256-GCM,
-- key NETIA_ENCRYPTION_KEY); the refresh token never leaves the server.
CREATE TABLE gmail_connections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  inbox_id uuid NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
  -- The mailbox address (users.getProfile), shown in the console and used as From.
  email text NOT NULL,
  refresh_token_enc text NOT NULL,
  access_token_enc text,
  access_token_expires_at timestamptz,
  scope text NOT NULL DEFAULT '',
  -- Gmail history id the next sync starts from (users.history.list startHistoryId).
  history_id text,
  last_synced_at timestamptz,
  -- Last sync or send failure, for the settings screen; cleared by the next success.
  last_error text,
  connected_by integer REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gmail_connections_inbox_unique UNIQUE (inbox_id)
);
CREATE INDEX gmail_connections_account_idx ON gmail_connections (account_id);

-- OAuth `state` values handed out by GET /api/google/auth: single use, short-lived,
-- bound to the account, user and inbox that asked (a callback with any other state is refused).
CREATE TABLE gmail_oauth_states (
  state_hash bytea PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  inbox_id uuid NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now()
);

-- Gmail thread ↔ conversation. The conversation id is derived from (connection, thread),
-- so a sync retried after a crash finds the same conversation.
CREATE TABLE gmail_threads (
  connection_id uuid NOT NULL REFERENCES gmail_connections (id) ON DELETE CASCADE,
  gmail_thread_id text NOT NULL,
  conversation_id uuid NOT NULL,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  subject text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gmail_threads_pkey PRIMARY KEY (connection_id, gmail_thread_id)
);
CREATE UNIQUE INDEX gmail_threads_conversation_idx ON gmail_threads (conversation_id);

-- One row per delivery job that reached Gmail: written right after users.messages.send
-- answers, read before sending, so a retried job never sends twice.
CREATE TABLE gmail_sent_messages (
  job_id text PRIMARY KEY,
  connection_id uuid NOT NULL REFERENCES gmail_connections (id) ON DELETE CASCADE,
  message_id uuid NOT NULL,
  gmail_message_id text NOT NULL,
  gmail_thread_id text NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gmail_sent_messages_gmail_id_idx ON gmail_sent_messages (connection_id, gmail_message_id);

-- Which backend holds a file's bytes: switching FILES_STORAGE keeps older files readable.
ALTER TABLE files ADD COLUMN storage text NOT NULL DEFAULT 'local'
  CONSTRAINT files_storage_valid CHECK (storage IN ('local', 's3'));
