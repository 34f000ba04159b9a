-- FusionAuth's WebAuthn passkeys (https://fusionauth.io/docs/apis/webauthn): the credentials of each user, and the
-- ceremonies started and not yet completed. A credential row keeps the passkey as the API answers it (`body`, JSON)
-- beside the columns it is looked up by; it goes with its user.

CREATE TABLE webauthn_credentials (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The authenticator's credential id, base64url: the one name an authenticator answers an assertion with.
  credential_id TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX webauthn_credentials_credential ON webauthn_credentials (tenant_id, credential_id);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);

-- A registration or authentication ceremony between its start and its completion: the challenge answered by start,
-- taken once by completion, and refused after `expires_at` (Standin's clock, milliseconds).
CREATE TABLE webauthn_challenges (
  challenge TEXT PRIMARY KEY,
  -- 'registration' or 'authentication'.
  ceremony TEXT NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  -- What start was asked for (workflow, names, application, state…), read again at completion.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);
