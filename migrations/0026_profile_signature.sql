-- Issue #17, item 6: an agent's email signature, plain text, appended (after the
-- conventional "-- " separator line) to their replies that leave as email
-- (services/gmail/destination.ts), never to chat. Bounded so a reply cannot be
-- inflated by it.
ALTER TABLE user_profiles
  ADD COLUMN signature text CONSTRAINT user_profiles_signature_length CHECK (char_length(signature) <= 1000);
