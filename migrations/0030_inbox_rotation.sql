-- Who is in an inbox's automatic-assignment rotation (issue #18): every enabled agent of the
-- account ('all_agents', the behaviour so far), or only the inbox's members (inbox_members).
-- Explicit rather than "members if there are any": registration makes the first admin a member
-- of the primary inbox, so an implicit rule would hand every conversation of the primary inbox
-- to that one person as soon as automatic assignment is switched on.
ALTER TABLE inboxes ADD COLUMN auto_assign_rotation text NOT NULL DEFAULT 'all_agents'
  CONSTRAINT inboxes_auto_assign_rotation_valid CHECK (auto_assign_rotation IN ('all_agents', 'members'));
-- The assigner reads an inbox's members often; the unique (inbox_id, user_id) index serves it.
