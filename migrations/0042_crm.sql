-- CRM integrations (issue #19 point 6): HubSpot and Intercom, one connection per account and vendor.
-- Tokens are stored only sealed (AES-256-GCM with the integrations key, as integrations.secret_box).

CREATE TABLE crm_connections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  provider text NOT NULL CONSTRAINT crm_connections_provider_valid CHECK (provider IN ('hubspot', 'intercom')),
  -- HubSpot portal (hub) id, Intercom workspace (app) id: where contact links point.
  external_account text NOT NULL,
  -- Safe to show: hub domain / workspace name, the vendor user who connected, scopes.
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- access token, refresh token (HubSpot), expiry.
  secret_box text NOT NULL,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  last_error text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT crm_connections_account_provider_unique UNIQUE (account_id, provider)
);

-- Single-use OAuth states (only their SHA-256 is stored), bound to account, admin and vendor.
CREATE TABLE crm_oauth_states (
  state_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('hubspot', 'intercom')),
  expires_at timestamptz NOT NULL
);

-- The vendor's contact of a customer, with the fields shown in the customer panel.
CREATE TABLE crm_contacts (
  customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('hubspot', 'intercom')),
  contact_id text NOT NULL,
  url text,
  fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  synced_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT crm_contacts_pkey PRIMARY KEY (customer_id, provider)
);
CREATE INDEX crm_contacts_account_idx ON crm_contacts (account_id, provider);
