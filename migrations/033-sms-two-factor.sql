-- FusionAuth's SMS two-factor method (https://fusionauth.io/docs/apis/two-factor) and the messages Standin sends through
-- a Generic messenger (https://fusionauth.io/docs/customize/email-and-messages/generic-messenger).

-- The phone an SMS method texts its codes to; NULL for the other methods.
ALTER TABLE two_factor_methods ADD COLUMN mobile_phone TEXT;

-- Every text message Standin sent, or tried to send, so that tests can read codes without a receiver
-- (GET /_standin/sms). `body` is the record as JSON (never the messenger's credentials); `delivery` is `sent` when the
-- receiver answered 2xx, `failed` otherwise.
CREATE TABLE sms_outbox (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  -- The recipient as given, for ?to=.
  phone_number TEXT NOT NULL,
  delivery TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE INDEX sms_outbox_to ON sms_outbox (phone_number, seq);
