-- Channel integrations (issue #8): Slack and Twilio per account, Slack channels per inbox,
-- the links between conversations and their Slack thread / phone number / email thread,
-- inbound deliveries already handled (vendors retry), and outbound deliveries already made.

-- One row per connected provider and account. Secrets (Slack bot token, Twilio auth token)
-- are stored only encrypted (AES-256-GCM, key NETIA_ENCRYPTION_KEY): `secret_box` is
-- `v1:<iv>:<tag>:<ciphertext>` in base64url. `settings` holds what is safe to show.
CREATE TABLE integrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  provider text NOT NULL CONSTRAINT integrations_provider_valid CHECK (provider IN ('slack', 'twilio')),
  -- Slack team id, Twilio account SID: how inbound deliveries find the account.
  external_id text NOT NULL,
  -- Twilio: the number in E.164 (inbound `To`); unique across accounts.
  phone_number text,
  -- Where new conversations from this integration go (Twilio); NULL = the account's primary inbox.
  inbox_id uuid REFERENCES inboxes (id) ON DELETE SET NULL,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  secret_box text NOT NULL,
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT integrations_account_provider_unique UNIQUE (account_id, provider)
);
CREATE UNIQUE INDEX integrations_phone_unique ON integrations (phone_number) WHERE phone_number IS NOT NULL;
CREATE INDEX integrations_external_idx ON integrations (provider, external_id);

-- Slack channels mapped to inboxes. `reply`: new conversations of the inbox get a thread there
-- and agents answer in it. `support`: a message posted in the channel opens a conversation.
CREATE TABLE slack_channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  integration_id uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
  inbox_id uuid NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
  team_id text NOT NULL,
  channel_id text NOT NULL,
  channel_name text,
  kind text NOT NULL DEFAULT 'reply' CONSTRAINT slack_channels_kind_valid CHECK (kind IN ('reply', 'support')),
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT slack_channels_inbox_kind_unique UNIQUE (integration_id, inbox_id, kind),
  -- A channel serves one account and one purpose (the original's "already connected" rule).
  CONSTRAINT slack_channels_channel_unique UNIQUE (team_id, channel_id)
);

-- Conversation ↔ external thread: Slack (channel, thread_ts), SMS (phone number), email (thread key).
CREATE TABLE conversation_links (
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  provider text NOT NULL CONSTRAINT conversation_links_provider_valid CHECK (provider IN ('slack', 'sms', 'email')),
  channel_id text NOT NULL DEFAULT '',
  thread_key text NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT conversation_links_pkey PRIMARY KEY (conversation_id, provider),
  CONSTRAINT conversation_links_thread_unique UNIQUE (account_id, provider, channel_id, thread_key)
);

-- Inbound deliveries seen (Slack event_id, Twilio MessageSid, SES message id). Vendors retry;
-- a delivery whose `processed_at` is set is acknowledged without doing anything again.
CREATE TABLE integration_inbound_events (
  provider text NOT NULL,
  event_id text NOT NULL,
  account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id uuid,
  message_id uuid,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  CONSTRAINT integration_inbound_events_pkey PRIMARY KEY (provider, event_id)
);

-- Outbound side effects already performed, keyed by the delivery job id (its idempotency key).
-- Slack and Twilio take no idempotency key, so the posted `ts` / message SID is recorded here
-- before the job is acknowledged; a retry that finds the row does nothing.
CREATE TABLE integration_deliveries (
  job_id text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind text NOT NULL,
  conversation_id uuid,
  message_id uuid,
  -- Slack message ts, Twilio message SID.
  external_id text NOT NULL,
  -- Twilio status callbacks (queued, sent, delivered, undelivered, failed) and error codes.
  status text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  attempt integer NOT NULL DEFAULT 1,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX integration_deliveries_external_idx ON integration_deliveries (kind, external_id);
CREATE INDEX integration_deliveries_message_idx ON integration_deliveries (message_id) WHERE message_id IS NOT NULL;

-- Inbound email forwarding addresses (the original's forwarding_addresses), per inbox.
CREATE TABLE forwarding_addresses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  inbox_id uuid REFERENCES inboxes (id) ON DELETE SET NULL,
  forwarding_email_address text NOT NULL,
  source_email_address text,
  description text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX forwarding_addresses_address_unique ON forwarding_addresses (lower(forwarding_email_address));

-- Inbound retries that crashed between "conversation started" and "link recorded" find the
-- conversation by the message's client id (derived from the vendor's delivery id).
CREATE INDEX messages_account_client_id_idx ON messages (account_id, client_message_id) WHERE client_message_id IS NOT NULL;
