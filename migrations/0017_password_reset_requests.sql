-- Password-reset requests of the last hour per user (issue #13, abuse budgets):
-- at most PASSWORD_RESET_PER_EMAIL_PER_HOUR links go to one address, so the
-- public POST /api/reset_password cannot be used to flood someone's inbox.
-- Rows older than an hour are pruned whenever the user asks again.
CREATE TABLE password_reset_requests (
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  requested_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_reset_requests_user_idx ON password_reset_requests (user_id, requested_at);
