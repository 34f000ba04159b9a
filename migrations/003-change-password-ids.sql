-- FusionAuth's changePasswordId (Forgot Password API, Change Password API): a single-use bearer secret,
-- kept as its SHA-256 only, like every other secret Standin hands out.
CREATE TABLE change_password_ids (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  -- The forgot-password request's `state`, returned unchanged by the change-password call.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX change_password_ids_user ON change_password_ids (user_id);
