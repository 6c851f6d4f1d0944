-- Issue #18, item 3: a personal API key carries a scope chosen when it is created
-- (docs/compatibility.md#accounts-users-invitations-and-api-keys):
--   read  = GET requests only;
--   write = read + every mutation that is not admin-only;
--   admin = everything the key's user's role allows (what every key could do before).
-- Existing keys get `admin`, so they keep working exactly as before; the column keeps
-- that default for inserts that do not name a scope (the original's clients create
-- keys with a label only). Enforced by the gateway's API-key scope (gateway/http/auth.ts).
ALTER TABLE personal_api_keys
  ADD COLUMN scope text NOT NULL DEFAULT 'admin'
    CONSTRAINT personal_api_keys_scope_valid CHECK (scope IN ('read', 'write', 'admin'));
