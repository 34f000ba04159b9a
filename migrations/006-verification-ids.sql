-- FusionAuth's email and registration verification ids and their one-time codes: single-use bearer secrets,
-- kept as SHA-256 only. A user has at most one live id per kind (and application): a new one replaces it.
CREATE TABLE verification_ids (
  id_hash TEXT PRIMARY KEY,
  -- 'email' or 'registration'
  kind TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- the application of a registration verification; '' for email verification
  application_id TEXT NOT NULL,
  -- the address the id verifies: an email change makes an older id worthless
  email TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX verification_ids_subject ON verification_ids (kind, user_id, application_id);
