-- FusionAuth groups (https://fusionauth.io/docs/apis/groups): a group of a tenant, the application roles it
-- grants, and its members. Deleting a tenant, group, user or application deletes the rows that name it.

CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  -- The group as the API returns it, without `roles` (computed from group_application_roles).
  body TEXT NOT NULL,
  UNIQUE (tenant_id, name)
) STRICT;

CREATE TABLE group_application_roles (
  group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  -- A role lives inside its application's body; the trigger below drops the rows of a role that leaves it.
  role_id TEXT NOT NULL,
  -- Also the lookup a token makes: the roles a group grants in one application.
  PRIMARY KEY (group_id, application_id, role_id)
) STRICT;

CREATE INDEX group_application_roles_application ON group_application_roles (application_id);

-- Whatever path removes a role from an application (the Application Role API, or a PUT or PATCH of the
-- application), its groups lose it in the same write.
CREATE TRIGGER group_application_roles_follow_roles AFTER UPDATE OF body ON applications
BEGIN
  DELETE FROM group_application_roles
  WHERE application_id = NEW.id
    AND role_id NOT IN (
      SELECT json_extract(value, '$.id') FROM json_each(NEW.body, '$.roles') WHERE json_extract(value, '$.id') IS NOT NULL
    );
END;

CREATE TABLE group_members (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Milliseconds since the epoch.
  insert_instant INTEGER NOT NULL,
  -- The member's free-form `data`, as JSON.
  data TEXT NOT NULL,
  UNIQUE (group_id, user_id)
) STRICT;

CREATE INDEX group_members_user ON group_members (user_id);
