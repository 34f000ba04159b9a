-- FusionAuth's email two-factor method (https://fusionauth.io/docs/apis/two-factor): a method's address, and the
-- one-time codes POST /api/two-factor/send emails.

-- The address an email method sends its codes to; NULL for an authenticator method (whose secret is then set).
ALTER TABLE two_factor_methods ADD COLUMN email TEXT;

-- Emailed one-time codes waiting to be typed, kept as the code's SHA-256 (like every bearer secret). `scope` is what
-- a code is for: enabling an address (`enable:<userId>:<address>`), disabling a method (`disable:<userId>:<methodId>`)
-- or finishing a pending login (`login:<SHA-256 of its twoFactorId>`). One live code per scope: a new send replaces
-- the earlier one. A code is used once (DELETE … RETURNING) and lives the tenant's
-- twoFactorOneTimeCodeIdTimeToLiveInSeconds.
CREATE TABLE two_factor_one_time_codes (
  scope TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  method_id TEXT,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX two_factor_one_time_codes_expiry ON two_factor_one_time_codes (expires_at);
CREATE INDEX two_factor_one_time_codes_user ON two_factor_one_time_codes (user_id);
