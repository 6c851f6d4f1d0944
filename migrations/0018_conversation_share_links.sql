-- Conversation share links (GET /api/conversations/shared) can be revoked
-- (issue #13, hole 9c). The token itself is still the signed `cs1.` string
-- (services/conversations/extras.ts); only its SHA-256 is stored, so a database
-- read gives no working link. A token without a row here, or with revoked_at
-- set, is refused. Expired rows are purged by the housekeeping schedule
-- (workflows/housekeeping).

CREATE TABLE conversation_share_links (
  token_hash bytea CONSTRAINT conversation_share_links_pkey PRIMARY KEY,
  account_id uuid NOT NULL CONSTRAINT conversation_share_links_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL CONSTRAINT conversation_share_links_conversation_id_fkey REFERENCES conversations (id) ON DELETE CASCADE,
  created_by_id integer CONSTRAINT conversation_share_links_created_by_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by_id integer CONSTRAINT conversation_share_links_revoked_by_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_share_links_conversation_idx ON conversation_share_links (conversation_id) WHERE revoked_at IS NULL;
CREATE INDEX conversation_share_links_expires_at_idx ON conversation_share_links (expires_at);

-- The housekeeping purge deletes expired, never-accepted invitations by expiry.
CREATE INDEX IF NOT EXISTS user_invitations_expires_at_idx ON user_invitations (expires_at) WHERE accepted_at IS NULL;
