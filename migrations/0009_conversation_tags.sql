-- Conversation tags (netia-api.md §2.4 `POST/DELETE /api/conversations/:id/tags`).
-- Metadata about a conversation that the conversation workflow does not own:
-- the gateway writes these rows directly (services/conversations/extras.ts).
-- account_id is stored so every lookup can filter by it; the routes check that
-- both the conversation and the tag belong to the caller's account (fixes Q3).
-- Constraint names are explicit: services map violations by name (CONVENTIONS 13).

CREATE TABLE conversation_tags (
  account_id uuid NOT NULL CONSTRAINT conversation_tags_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL CONSTRAINT conversation_tags_conversation_id_fkey REFERENCES conversations (id) ON DELETE CASCADE,
  tag_id uuid NOT NULL CONSTRAINT conversation_tags_tag_id_fkey REFERENCES tags (id) ON DELETE CASCADE,
  creator_id integer CONSTRAINT conversation_tags_creator_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT conversation_tags_unique UNIQUE (conversation_id, tag_id)
);
CREATE INDEX conversation_tags_tag_idx ON conversation_tags (tag_id);
CREATE INDEX conversation_tags_account_idx ON conversation_tags (account_id);
