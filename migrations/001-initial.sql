-- Standin's first schema. Each FusionAuth object keeps its full JSON in `body` (what the API returns),
-- with the columns that lookups, uniqueness and foreign keys need beside it.

CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE keys (
  id TEXT PRIMARY KEY,
  kid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  algorithm TEXT NOT NULL CHECK (algorithm IN ('RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512')),
  -- PEM (SPKI) for asymmetric keys, NULL for HMAC.
  public_key TEXT,
  -- PEM (PKCS #8) for asymmetric keys, base64 for HMAC secrets. Never leaves the server.
  private_key TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE applications (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  body TEXT NOT NULL
) STRICT;

CREATE INDEX applications_tenant ON applications (tenant_id);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- Lower-cased for case-insensitive lookup, as FusionAuth treats email and username.
  email TEXT,
  username TEXT,
  -- argon2id PHC string; NULL for users created without a password.
  password_hash TEXT,
  body TEXT NOT NULL,
  UNIQUE (tenant_id, email),
  UNIQUE (tenant_id, username)
) STRICT;

CREATE TABLE registrations (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  body TEXT NOT NULL,
  UNIQUE (user_id, application_id)
) STRICT;

CREATE INDEX registrations_application ON registrations (application_id);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  -- SHA-256 of the key: the raw key is only ever in the caller's hands.
  key_hash TEXT NOT NULL UNIQUE,
  tenant_id TEXT REFERENCES tenants (id) ON DELETE CASCADE,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE system_configuration (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  body TEXT NOT NULL
) STRICT;

-- Facts about this database itself, such as which seed made it.
CREATE TABLE standin_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
