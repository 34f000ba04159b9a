-- FusionAuth's oneTimePassword (Change Password API response, Login API `oneTimePassword`): a single-use,
-- short-lived bearer secret, kept as its SHA-256 only.
CREATE TABLE one_time_passwords (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  -- 1 when a login with it may be given a refresh token (Change Password API, `refreshToken`).
  refresh_allowed INTEGER NOT NULL
) STRICT;

CREATE INDEX one_time_passwords_user ON one_time_passwords (user_id);
