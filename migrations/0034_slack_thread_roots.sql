-- Slack parity with the original (issue #19, item 3).
--
-- The root message Netia posts for a conversation's thread in a reply channel carries the
-- conversation's status and its buttons ("Mark as resolved" / "Reopen conversation", "Assign
-- to me"). Console changes are mirrored onto it with chat.update, which replaces the whole
-- message: so the root's own text is kept here, with the state last rendered on it. A mirror
-- job renders the conversation's current state and compares it with `rendered_state`, so a
-- retried or out-of-order job changes nothing twice. Only roots Netia posted are here (a
-- support-channel thread's root is the customer's own message, which the bot cannot edit).
CREATE TABLE slack_thread_roots (
  conversation_id uuid NOT NULL
    CONSTRAINT slack_thread_roots_conversation_fkey REFERENCES conversations (id) ON DELETE CASCADE,
  account_id uuid NOT NULL CONSTRAINT slack_thread_roots_account_fkey REFERENCES accounts (id) ON DELETE CASCADE,
  channel_id text NOT NULL,
  ts text NOT NULL,
  text text NOT NULL,
  rendered_state text NOT NULL,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT slack_thread_roots_pkey PRIMARY KEY (conversation_id),
  CONSTRAINT slack_thread_roots_message_unique UNIQUE (account_id, channel_id, ts)
);

-- Company channels (the original's `companies.slack_channel_id`): a message in a channel the
-- bot joined is matched to the account's company of that channel on every event.
CREATE INDEX companies_account_slack_channel_idx ON companies (account_id, slack_channel_id)
  WHERE slack_channel_id IS NOT NULL;
