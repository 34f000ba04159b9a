-- The Device Authorization Grant (RFC 8628; FusionAuth's /oauth2/device_authorize). Both codes are bearer secrets, kept
-- as their SHA-256 only, like authorization codes: `device_code_hash` is what the device polls with, `user_code_hash`
-- what the user types (normalised to upper case without separators before hashing, so `abc-def` finds `ABCDEF`).
CREATE TABLE device_codes (
  device_code_hash TEXT PRIMARY KEY,
  user_code_hash TEXT NOT NULL UNIQUE,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  -- Pending until a user approves it (the hosted /oauth2/device page or POST /oauth2/device/approve); then its user.
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  -- The approval: when the user authenticated (auth_time), how, and the SSO session it came from, if any.
  approval TEXT,
  -- Set by the one token request that redeems an approved code: a device code issues tokens once.
  consumed_at INTEGER,
  -- scope and deviceInfo, as the device asked.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX device_codes_expiry ON device_codes (expires_at);
