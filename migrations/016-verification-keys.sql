-- FusionAuth's Key API imports a public key or a certificate alone, as a key that verifies signatures and signs
-- nothing (https://fusionauth.io/docs/apis/keys, "Import a Key"): such a key has no private part, so the column
-- becomes nullable. SQLite cannot drop a NOT NULL constraint in place: the table is made again and its rows copied
-- (https://sqlite.org/lang_altertable.html#otheralter). No other table refers to it.
CREATE TABLE keys_with_verification_keys (
  id TEXT PRIMARY KEY,
  kid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  algorithm TEXT NOT NULL CHECK (algorithm IN ('RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512')),
  -- PEM (SPKI) for asymmetric keys, NULL for HMAC.
  public_key TEXT,
  -- PEM (PKCS #8) for asymmetric keys, base64 for HMAC secrets; NULL for an imported public key or certificate
  -- (a verification key). Never leaves the server.
  private_key TEXT,
  body TEXT NOT NULL
) STRICT;

INSERT INTO keys_with_verification_keys (rowid, id, kid, name, algorithm, public_key, private_key, body)
SELECT rowid, id, kid, name, algorithm, public_key, private_key, body FROM keys;

DROP TABLE keys;

ALTER TABLE keys_with_verification_keys RENAME TO keys;
