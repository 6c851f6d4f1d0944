-- Automatic assignment per inbox (issue #3): round-robin among online agents,
-- with an optional cap on open conversations per agent (0 = no cap).
ALTER TABLE inboxes ADD COLUMN auto_assign boolean NOT NULL DEFAULT false;
ALTER TABLE inboxes ADD COLUMN auto_assign_max_open integer NOT NULL DEFAULT 0
  CONSTRAINT inboxes_auto_assign_max_open_valid CHECK (auto_assign_max_open >= 0);
