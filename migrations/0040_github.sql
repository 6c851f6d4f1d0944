-- GitHub (issue #19 point 4): an account connects a GitHub App installation; issues it creates
-- from conversations are requested here and created by the delivery workflow (exactly once per
-- issue), and the App's signed webhook keeps linked issues' title and state in sync.

-- The installation an account connected (one per account). Nothing secret is stored: API calls
-- use short-lived installation tokens minted from the App's private key (server configuration).
CREATE TABLE github_connections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT github_connections_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  installation_id bigint NOT NULL,
  -- The GitHub user or organisation the App is installed on, and whether it sees all its repositories.
  account_login text NOT NULL,
  account_type text,
  repository_selection text,
  -- Opt-in: a GitHub issue closed as completed tells the customers of its linked conversations.
  notify_customer_on_close boolean NOT NULL DEFAULT false,
  created_by integer CONSTRAINT github_connections_created_by_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT github_connections_account_unique UNIQUE (account_id)
);
CREATE INDEX github_connections_installation_idx ON github_connections (installation_id);

-- An issue an agent asked to create on GitHub from a conversation. `creating` until the delivery
-- job (`github-issue-<issue id>`) records the created issue's number and URL (issues.github_issue_url).
CREATE TABLE github_issue_requests (
  issue_id uuid PRIMARY KEY,
  account_id uuid NOT NULL,
  conversation_id uuid CONSTRAINT github_issue_requests_conversation_id_fkey REFERENCES conversations (id) ON DELETE SET NULL,
  -- owner/name
  repo text NOT NULL CONSTRAINT github_issue_requests_repo_valid CHECK (repo ~ '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$'),
  status text NOT NULL DEFAULT 'creating' CONSTRAINT github_issue_requests_status_valid CHECK (status IN ('creating', 'created', 'failed')),
  error text,
  number integer,
  requested_by integer CONSTRAINT github_issue_requests_requested_by_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT github_issue_requests_issue_fkey FOREIGN KEY (account_id, issue_id) REFERENCES issues (account_id, id) ON DELETE CASCADE
);
