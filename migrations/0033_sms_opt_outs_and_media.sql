-- SMS opt-out keywords and inbound MMS media (issue #19 item 2).
--
-- A number that texted STOP (STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) to an account's Twilio
-- number is opted out for that account: no reply, agent-initiated text or MMS goes to it until it
-- texts START (YES, UNSTOP) again. One row per account and number; opting in again clears
-- opted_out_at and keeps the row (when and by which keyword, for an agent asking why).
CREATE TABLE sms_opt_outs (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  phone text NOT NULL,
  -- Null: opted in again (START).
  opted_out_at timestamptz,
  -- The keyword of the latest change, upper case (STOP, START, …).
  keyword text NOT NULL,
  -- The inbound message that made the latest change.
  message_sid text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sms_opt_outs_pkey PRIMARY KEY (account_id, phone)
);

-- The files an inbound MMS's media were stored as, by the MessageSid and the media's position
-- (MediaUrl0 is 0): a webhook Twilio posts again finds them instead of fetching and storing
-- them twice. A file deleted later takes its row with it.
CREATE TABLE sms_inbound_media (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  message_sid text NOT NULL,
  position integer NOT NULL CONSTRAINT sms_inbound_media_position_valid CHECK (position >= 0),
  file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT sms_inbound_media_pkey PRIMARY KEY (account_id, message_sid, position)
);
