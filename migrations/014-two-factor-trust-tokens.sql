-- Trust tokens: what a finished two-factor login (POST /api/two-factor/login) answers as `trustToken`, and what the
-- Change Password API asks of a user with a second factor. Kept as the token's SHA-256, like every bearer secret;
-- challenge_hash is the SHA-256 of the `trustChallenge` given to POST /api/two-factor/start, when one was.
CREATE TABLE two_factor_trust_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  challenge_hash TEXT,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX two_factor_trust_tokens_expiry ON two_factor_trust_tokens (expires_at);
