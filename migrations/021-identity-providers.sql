-- FusionAuth's identity providers (https://fusionauth.io/docs/apis/identity-providers), the links between their
-- users and Standin's (https://fusionauth.io/docs/apis/identity-providers/links), and the logins started at one and
-- not yet back at /oauth2/callback. Standin models the OpenID Connect type only (docs/identity-providers.md).

CREATE TABLE identity_providers (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  -- The identity provider as the API answers it.
  body TEXT NOT NULL
) STRICT;

-- One user of an identity provider, linked to one user of a tenant. Deleting either end deletes the link.
CREATE TABLE identity_provider_links (
  identity_provider_id TEXT NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
  -- The provider's id for its user: the `sub` claim, or the claim `oauth2.uniqueIdClaim` names.
  identity_provider_user_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  display_name TEXT,
  -- An opaque token from the provider, as the Link API was given it.
  token TEXT,
  -- Milliseconds since the epoch.
  insert_instant INTEGER NOT NULL,
  last_login_instant INTEGER NOT NULL,
  PRIMARY KEY (identity_provider_id, tenant_id, identity_provider_user_id)
) STRICT;

CREATE INDEX identity_provider_links_user ON identity_provider_links (user_id);

-- A login sent to an identity provider: the state it carries there and back, single use (DELETE … RETURNING).
CREATE TABLE identity_provider_logins (
  state TEXT PRIMARY KEY,
  identity_provider_id TEXT NOT NULL,
  -- SHA-256 of the browser-binding cookie set when the login started: a callback from another browser is refused.
  browser_hash TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  nonce TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  -- The authorization request the login page carried, as JSON, to finish the login with.
  params TEXT NOT NULL,
  -- Milliseconds since the epoch.
  expires_at INTEGER NOT NULL
) STRICT;
