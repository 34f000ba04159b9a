-- The passwords a user had before (tenant passwordValidationRules.rememberPreviousPasswords): their argon2
-- hashes, newest last, trimmed to the most any tenant may ask to remember.
CREATE TABLE password_history (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  replaced_at INTEGER NOT NULL
) STRICT;

CREATE INDEX password_history_user ON password_history (user_id, replaced_at);
