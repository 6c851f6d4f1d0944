-- Accounts, users and the account-scoped records around them (issue #4, items 6–8;
-- netia-api.md §1, §2.3, §2.6–2.8, §2.11): tags, customer tags, notes, canned
-- responses (saved replies), outgoing-webhook subscriptions, personal API keys and
-- user invitations. Every row carries account_id and every lookup filters by it.
-- Constraint names are explicit: services map violations by name (CONVENTIONS 13).
-- Password-reset tokens need no table: auth_tokens (0001) already allows
-- kind = 'password_reset', stores only a SHA-256 and has expires_at (fixes Q17).

CREATE TABLE tags (
  id uuid CONSTRAINT tags_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT tags_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL CONSTRAINT tags_name_not_blank CHECK (btrim(name) <> ''),
  description text,
  color text,
  creator_id integer CONSTRAINT tags_creator_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tags_account_name_unique UNIQUE (account_id, name)
);

CREATE TABLE customer_tags (
  id uuid CONSTRAINT customer_tags_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT customer_tags_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  customer_id uuid NOT NULL CONSTRAINT customer_tags_customer_id_fkey REFERENCES customers (id) ON DELETE CASCADE,
  tag_id uuid NOT NULL CONSTRAINT customer_tags_tag_id_fkey REFERENCES tags (id) ON DELETE CASCADE,
  creator_id integer CONSTRAINT customer_tags_creator_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT customer_tags_unique UNIQUE (account_id, customer_id, tag_id)
);
CREATE INDEX customer_tags_tag_idx ON customer_tags (tag_id);

CREATE TABLE notes (
  id uuid CONSTRAINT notes_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT notes_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  customer_id uuid NOT NULL CONSTRAINT notes_customer_id_fkey REFERENCES customers (id) ON DELETE CASCADE,
  author_id integer CONSTRAINT notes_author_id_fkey REFERENCES users (id) ON DELETE CASCADE,
  body text NOT NULL CONSTRAINT notes_body_not_blank CHECK (btrim(body) <> ''),
  content_type text NOT NULL DEFAULT 'text',
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_account_inserted_idx ON notes (account_id, inserted_at DESC);
CREATE INDEX notes_customer_idx ON notes (customer_id);

CREATE TABLE canned_responses (
  id uuid CONSTRAINT canned_responses_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT canned_responses_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL CONSTRAINT canned_responses_name_not_blank CHECK (btrim(name) <> ''),
  content text NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT canned_responses_account_name_unique UNIQUE (account_id, name)
);

-- Outgoing webhooks. Verification and delivery (signed, retried) arrive with issue #8.
CREATE TABLE event_subscriptions (
  id uuid CONSTRAINT event_subscriptions_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT event_subscriptions_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  webhook_url text NOT NULL,
  verified boolean NOT NULL DEFAULT false,
  scope text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_subscriptions_account_idx ON event_subscriptions (account_id);

-- Personal API keys for /api/v1. Only the SHA-256 of a key is stored (the value
-- is shown once, at creation); key_prefix lets a person recognise a key in a list.
CREATE TABLE personal_api_keys (
  id uuid CONSTRAINT personal_api_keys_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT personal_api_keys_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  user_id integer NOT NULL CONSTRAINT personal_api_keys_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
  label text NOT NULL CONSTRAINT personal_api_keys_label_not_blank CHECK (btrim(label) <> ''),
  key_hash bytea NOT NULL,
  key_prefix text NOT NULL,
  last_used_at timestamptz,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT personal_api_keys_key_hash_unique UNIQUE (key_hash)
);
CREATE INDEX personal_api_keys_user_idx ON personal_api_keys (user_id);

-- Invitations to join an account. The token is 32 random bytes, stored as its
-- SHA-256 (the original used the row id as the token); single use.
CREATE TABLE user_invitations (
  id uuid CONSTRAINT user_invitations_pkey PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL CONSTRAINT user_invitations_account_id_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL,
  email text,
  invited_by_id integer CONSTRAINT user_invitations_invited_by_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by_id integer CONSTRAINT user_invitations_accepted_by_id_fkey REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT user_invitations_token_hash_unique UNIQUE (token_hash)
);
CREATE INDEX user_invitations_account_idx ON user_invitations (account_id);
