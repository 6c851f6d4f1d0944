-- Client message ids are deduplicated per author (issue #13): the same client id from
-- another author (an agent reusing a visitor's id, another visitor) is a new message.
-- The unique key becomes (conversation, client id, author): the agent's user_id or the
-- customer's id. Messages of neither (bot, system, or an agent message whose user was
-- deleted: ON DELETE SET NULL) use their own id, so they never collide; the workflow,
-- the only writer, deduplicates those. The index also serves lookups by (conversation,
-- client id), as the one it replaces.
CREATE UNIQUE INDEX messages_client_id_author_unique
  ON messages (conversation_id, client_message_id, (COALESCE(user_id::text, customer_id::text, id::text)))
  WHERE client_message_id IS NOT NULL;
DROP INDEX messages_client_id_unique;
