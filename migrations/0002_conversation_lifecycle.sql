-- Conversation lifecycle state owned by the conversation workflow (issue #3).
-- bot_active: the AI answers until a human takes over (agent reply or assignment)
-- and again after an agent hands the conversation back.
ALTER TABLE conversations ADD COLUMN bot_active boolean NOT NULL DEFAULT true;
-- Highest seq the customer has seen (messages:seen read receipts).
ALTER TABLE conversations ADD COLUMN seen_up_to_seq integer NOT NULL DEFAULT 0;
-- Finding conversations by status for operators and the archive sweep.
CREATE INDEX conversations_account_status_idx ON conversations (account_id, status) WHERE archived_at IS NULL;
