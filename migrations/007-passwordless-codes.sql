-- FusionAuth's passwordless login codes (Passwordless API): a single-use bearer secret, kept as its SHA-256
-- only. Starting a new login removes the user's earlier codes for the same application.
CREATE TABLE passwordless_codes (
  code_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  -- The start request's `state`, returned by the login and added to the emailed link.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX passwordless_codes_user ON passwordless_codes (user_id, application_id);
