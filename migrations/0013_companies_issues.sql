-- Companies and issues (netia-api.md §1, §2.7, §9.2): plain account-scoped
-- records. Companies group customers (customers.company_id); issues are an
-- internal tracker, optionally naming a GitHub issue by URL (no GitHub API
-- calls here), linked to customers and conversations.
-- Every link carries account_id and is checked against it, so no record of
-- one account can point at another's (fixes Q3 and Q5 for these families).
-- Constraint names are explicit: services map violations by name (CONVENTIONS 13).

CREATE TABLE companies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT companies_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL CONSTRAINT companies_name_not_blank CHECK (btrim(name) <> ''),
  external_id text,
  website_url text,
  description text,
  logo_image_url text,
  industry text,
  slack_channel_id text,
  slack_channel_name text,
  slack_team_id text,
  slack_team_name text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Target of the composite foreign key below: a customer's company is always of its own account.
  CONSTRAINT companies_account_id_id_unique UNIQUE (account_id, id)
);
CREATE INDEX companies_account_name_idx ON companies (account_id, lower(name));
CREATE INDEX companies_account_external_id_idx ON companies (account_id, external_id) WHERE external_id IS NOT NULL;

-- customers.company_id existed without a table to point at; nothing could set it through the API.
UPDATE customers SET company_id = NULL WHERE company_id IS NOT NULL;
-- Deleting a company detaches its customers (only company_id is nulled, never account_id).
ALTER TABLE customers
  ADD CONSTRAINT customers_company_fkey FOREIGN KEY (account_id, company_id)
  REFERENCES companies (account_id, id) ON DELETE SET NULL (company_id);
CREATE INDEX customers_company_idx ON customers (company_id) WHERE company_id IS NOT NULL;

CREATE TABLE issues (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT issues_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  title text NOT NULL CONSTRAINT issues_title_not_blank CHECK (btrim(title) <> ''),
  body text,
  state text NOT NULL DEFAULT 'unstarted'
    CONSTRAINT issues_state_valid CHECK (state IN ('unstarted', 'in_progress', 'in_review', 'done', 'closed')),
  github_issue_url text,
  -- Set when the state becomes done / closed, cleared when it leaves it.
  finished_at timestamptz,
  closed_at timestamptz,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  creator_id integer CONSTRAINT issues_creator_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  assignee_id integer CONSTRAINT issues_assignee_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT issues_account_id_id_unique UNIQUE (account_id, id)
);
CREATE INDEX issues_account_idx ON issues (account_id, inserted_at DESC);
CREATE INDEX issues_account_github_url_idx ON issues (account_id, github_issue_url) WHERE github_issue_url IS NOT NULL;

-- Links: composite keys make a cross-account link impossible, whatever a caller sends.
CREATE TABLE customer_issues (
  account_id uuid NOT NULL,
  customer_id uuid NOT NULL CONSTRAINT customer_issues_customer_id_fkey REFERENCES customers (id) ON DELETE CASCADE,
  issue_id uuid NOT NULL,
  creator_id integer CONSTRAINT customer_issues_creator_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT customer_issues_issue_fkey FOREIGN KEY (account_id, issue_id) REFERENCES issues (account_id, id) ON DELETE CASCADE,
  CONSTRAINT customer_issues_unique UNIQUE (customer_id, issue_id)
);
CREATE INDEX customer_issues_issue_idx ON customer_issues (issue_id);

CREATE TABLE conversation_issues (
  account_id uuid NOT NULL,
  conversation_id uuid NOT NULL CONSTRAINT conversation_issues_conversation_id_fkey REFERENCES conversations (id) ON DELETE CASCADE,
  issue_id uuid NOT NULL,
  creator_id integer CONSTRAINT conversation_issues_creator_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT conversation_issues_issue_fkey FOREIGN KEY (account_id, issue_id) REFERENCES issues (account_id, id) ON DELETE CASCADE,
  CONSTRAINT conversation_issues_unique UNIQUE (conversation_id, issue_id)
);
CREATE INDEX conversation_issues_issue_idx ON conversation_issues (issue_id);
