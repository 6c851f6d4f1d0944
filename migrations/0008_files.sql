-- Uploaded files and message attachments (local folder by default; S3 later, issue #8).
CREATE TABLE files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
  user_id integer REFERENCES users (id) ON DELETE SET NULL,
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes integer NOT NULL CONSTRAINT files_size_valid CHECK (size_bytes >= 0),
  -- Where the bytes are: a key in the configured storage (the local folder for now).
  storage_key text NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_account_idx ON files (account_id, inserted_at DESC);

-- Attachments. Deleting a message removes its links (the original's FK had no cascade: Q16).
CREATE TABLE message_files (
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  position smallint NOT NULL DEFAULT 0,
  CONSTRAINT message_files_pkey PRIMARY KEY (message_id, file_id)
);
