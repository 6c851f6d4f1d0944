-- Issue #17 item 5 ("being told"): per-agent console and Web Push alert
-- preferences, the agents' push subscriptions (one per browser/device), and the
-- deployment's VAPID key pair when none is configured.

-- What alerts an agent (console notifications and Web Push alike), stored with
-- the email alert preferences. Defaults: desktop notifications on (the browser
-- still asks permission first), sound off, every event on.
ALTER TABLE user_settings
  ADD COLUMN desktop_notifications boolean NOT NULL DEFAULT true,
  ADD COLUMN notification_sound boolean NOT NULL DEFAULT false,
  ADD COLUMN notify_on_new_conversation boolean NOT NULL DEFAULT true,
  ADD COLUMN notify_on_new_message boolean NOT NULL DEFAULT true,
  ADD COLUMN notify_on_mention boolean NOT NULL DEFAULT true;

-- One row per browser push subscription (PushSubscription.toJSON()). The
-- endpoint is the push service's URL for that browser: unique, so a browser
-- that subscribes again (or where another agent signs in) moves the row to the
-- new owner. p256dh/auth are the browser's public key and auth secret the
-- payload is encrypted for (RFC 8291). A push service answering 404/410 means
-- the subscription is gone: the row is deleted.
CREATE TABLE push_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  endpoint text NOT NULL CONSTRAINT push_subscriptions_endpoint_key UNIQUE
    CONSTRAINT push_subscriptions_endpoint_length CHECK (char_length(endpoint) BETWEEN 1 AND 2048),
  p256dh text NOT NULL CONSTRAINT push_subscriptions_p256dh_length CHECK (char_length(p256dh) BETWEEN 1 AND 200),
  auth text NOT NULL CONSTRAINT push_subscriptions_auth_length CHECK (char_length(auth) BETWEEN 1 AND 100),
  user_agent text,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  last_success_at timestamptz
);
CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id);
CREATE INDEX push_subscriptions_account_idx ON push_subscriptions (account_id);

-- The deployment's VAPID key pair when VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY are
-- not configured: generated once by the first process that needs it (one row,
-- `id = 1`, first insert wins) so every gateway and worker signs with the same
-- key. The private key is sealed (services/crypto, purpose `push-vapid-key`).
CREATE TABLE push_vapid_keys (
  id integer PRIMARY KEY CONSTRAINT push_vapid_keys_single CHECK (id = 1),
  public_key text NOT NULL,
  private_key_box text NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now()
);
