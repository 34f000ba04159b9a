-- The login flow's state. Every secret a browser or client holds (session cookie, code, refresh token) is
-- stored as its SHA-256 only: the database file holds nothing that could be replayed.

-- SSO sessions behind the fusionauth.sso cookie. `id` is the public session id (the id token's `sid`).
CREATE TABLE sso_sessions (
  id TEXT PRIMARY KEY,
  cookie_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- When the user typed their password (OIDC auth_time), in milliseconds.
  auth_time INTEGER NOT NULL,
  last_used INTEGER NOT NULL,
  -- "Keep me signed in": a persistent cookie rather than a browser-session one.
  persistent INTEGER NOT NULL CHECK (persistent IN (0, 1))
) STRICT;

CREATE INDEX sso_sessions_user ON sso_sessions (user_id);

-- Authorization codes (RFC 6749 §4.1.2): single use, short-lived, bound to everything the request said.
CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER,
  -- What the exchange issued, so that a replayed code can revoke it (RFC 6749 §4.1.2).
  issued_refresh_token_id TEXT,
  issued_access_token_jti TEXT,
  -- redirect_uri, scope, nonce, code_challenge, session id, auth_time, authenticationType.
  body TEXT NOT NULL
) STRICT;

-- Refresh tokens. `id` is FusionAuth's refreshTokenId (the access token's `sid`): it stays the same when a
-- OneTimeUse token rotates, only `token_hash` changes.
CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- First issue, for SlidingWindowWithMaximumLifetime; the current value's issue; the last use.
  start_instant INTEGER NOT NULL,
  insert_instant INTEGER NOT NULL,
  last_used INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  -- scope, auth_time, authenticationType, SSO session id, metaData.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_application ON refresh_tokens (application_id);

-- Values a OneTimeUse token rotated away from: presenting one is reuse, not an unknown token.
CREATE TABLE retired_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  refresh_token_id TEXT NOT NULL REFERENCES refresh_tokens (id) ON DELETE CASCADE,
  retired_at INTEGER NOT NULL
) STRICT;

CREATE INDEX retired_refresh_tokens_family ON retired_refresh_tokens (refresh_token_id);

-- Access tokens revoked before their expiry (a replayed code's), refused by userinfo and introspection.
CREATE TABLE revoked_access_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
