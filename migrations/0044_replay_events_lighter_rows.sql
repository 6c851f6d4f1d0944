-- Issue #20 point 4: a recording session's events cost PostgreSQL less per row.
-- Every replay event is a row (1,000 recording sessions store about 2,400 a
-- second), and each row paid for a foreign-key check against accounts and an
-- entry in an index on account_id. Neither is needed:
-- - the row's account is its session's: both write paths
--   (services/browser-sessions/events.ts) take it from the session row they
--   lock, so it cannot differ from browser_sessions.account_id;
-- - deleting an account deletes its sessions (browser_sessions.account_id
--   cascades), and those delete their events through
--   browser_replay_events_session_seq_unique, the index every read uses;
-- - nothing looks events up by account.
-- A one-off measurement on this project's 2-core machine (5 sessions' 12-event
-- pushes per statement, as the gateway's write queue sends them): about 47 µs
-- of PostgreSQL CPU per row before, 32 µs without the check and the index.
-- S14 (docs/benchmarks.md) measures PostgreSQL's CPU per recording session.
ALTER TABLE browser_replay_events DROP CONSTRAINT browser_replay_events_account_id_fkey;
DROP INDEX browser_replay_events_account_idx;
