-- FusionAuth's consents, the consents granted to users, and families
-- (https://fusionauth.io/docs/apis/consents, https://fusionauth.io/docs/apis/families).

-- A consent definition. Consents belong to no tenant, as in FusionAuth; the name is unique.
CREATE TABLE consents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  -- The consent as the API returns it.
  body TEXT NOT NULL
) STRICT;

-- A consent granted to a user. Deleting the consent deletes its grants (Consent API, "Delete a Consent"); deleting
-- the user, or the user who gave it, deletes them too, as FusionAuth deletes a user's consents given or received.
CREATE TABLE user_consents (
  id TEXT PRIMARY KEY,
  consent_id TEXT NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  giver_user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Milliseconds since the epoch; the list of a user's consents is in the order they were granted.
  insert_instant INTEGER NOT NULL,
  -- The user consent as the API returns it, without the consent it names (read from `consents`).
  body TEXT NOT NULL
) STRICT;

CREATE INDEX user_consents_user ON user_consents (user_id, insert_instant);
CREATE INDEX user_consents_giver ON user_consents (giver_user_id);
CREATE INDEX user_consents_consent ON user_consents (consent_id);

-- One row per member of a family; a family is its members and has no row of its own: it exists while it has one
-- (Family API, "You cannot directly create a family"). Deleting the user takes them out of every family.
CREATE TABLE family_members (
  family_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Adult, Teen or Child.
  role TEXT NOT NULL,
  owner INTEGER NOT NULL,
  -- Milliseconds since the epoch.
  insert_instant INTEGER NOT NULL,
  last_update_instant INTEGER NOT NULL,
  -- The member's `data`, JSON.
  data TEXT NOT NULL,
  PRIMARY KEY (family_id, user_id)
) STRICT;

CREATE INDEX family_members_user ON family_members (user_id);
