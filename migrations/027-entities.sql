-- FusionAuth's Entity Management (https://fusionauth.io/docs/apis/entities/entity-types, /entities, /grants): entity
-- types with their permissions, entities of a tenant, and the grants of an entity's permissions to a user or to
-- another entity. Each row keeps the object as the API answers it (`body`, JSON) beside the columns searched or
-- kept unique.

CREATE TABLE entity_types (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  -- The entity type as the API answers it, its permissions among its members.
  body TEXT NOT NULL
) STRICT;

-- An entity's type cannot be deleted while it has entities: the Entity Type API refuses it first, the key checks it.
CREATE TABLE entities (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  type_id TEXT NOT NULL REFERENCES entity_types (id),
  -- The OAuth client id of the client credentials grant: unique, as it names one client.
  client_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  -- The entity as the API answers it, without its type (read from entity_types when answered).
  body TEXT NOT NULL
) STRICT;

CREATE INDEX entities_type ON entities (type_id);
CREATE INDEX entities_tenant ON entities (tenant_id);

-- A grant of permissions on `entity_id` to one user or one recipient entity (exactly one of the two), once each.
CREATE TABLE entity_grants (
  id TEXT PRIMARY KEY,
  entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  recipient_entity_id TEXT REFERENCES entities (id) ON DELETE CASCADE,
  -- The grant as the API answers it, without its entity.
  body TEXT NOT NULL,
  CHECK ((user_id IS NULL) <> (recipient_entity_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX entity_grants_user ON entity_grants (entity_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX entity_grants_recipient ON entity_grants (entity_id, recipient_entity_id) WHERE recipient_entity_id IS NOT NULL;
CREATE INDEX entity_grants_user_id ON entity_grants (user_id);
CREATE INDEX entity_grants_recipient_id ON entity_grants (recipient_entity_id);
