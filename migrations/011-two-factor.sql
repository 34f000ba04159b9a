-- Two-factor authentication (FusionAuth's Two Factor API, authenticator method only).

-- A user's methods. The TOTP secret must be readable to check codes, so it is kept as FusionAuth keeps it;
-- last_step is the time step of the last code accepted, so a code is accepted once (RFC 6238 §5.2).
CREATE TABLE two_factor_methods (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  method TEXT NOT NULL,
  secret TEXT NOT NULL,
  last_step INTEGER NOT NULL DEFAULT -1,
  insert_instant INTEGER NOT NULL,
  PRIMARY KEY (user_id, id)
) STRICT;

-- Recovery codes: single use, kept as their SHA-256 only.
CREATE TABLE two_factor_recovery_codes (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (user_id, code_hash)
) STRICT;

-- Logins waiting for their second factor (the Login API's twoFactorId), kept as the id's SHA-256.
CREATE TABLE two_factor_logins (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  -- The application, the lockout key and login id, and what the hosted page carries over.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX two_factor_logins_expiry ON two_factor_logins (expires_at);

-- Trusted devices (twoFactorTrustId, the fusionauth.trust cookie), kept as the id's SHA-256.
CREATE TABLE two_factor_trusts (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id TEXT,
  start_instant INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX two_factor_trusts_user ON two_factor_trusts (user_id);
