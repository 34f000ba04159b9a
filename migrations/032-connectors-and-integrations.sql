-- FusionAuth's Connectors (https://fusionauth.io/docs/apis/connectors): the Generic connectors a tenant's
-- `connectorPolicies` can send a password login to, and the built-in FusionAuth connector once it is renamed (until
-- then it is answered from its defaults, model/connector.ts). Each row keeps the connector as the API answers it.

CREATE TABLE connectors (
  id TEXT PRIMARY KEY,
  -- "The unique Connector name".
  name TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL
) STRICT;

-- The connector a user authenticates against (FusionAuth's `user.connectorId`): a user a Generic connector
-- authenticated without migrating them logs in through that connector again (Connectors overview, "Connector
-- Policies"). No row: the FusionAuth connector, Standin's own password check. The connector id is not a foreign key:
-- once a connector is deleted its users go through the tenant's policies again, as FusionAuth does.
CREATE TABLE user_connectors (
  user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  connector_id TEXT NOT NULL
) STRICT;

-- FusionAuth's Integrations (https://fusionauth.io/docs/apis/integrations): the one CleanSpeak and Kafka configuration,
-- stored only while both are disabled (Standin calls neither, model/integrations.ts). No row: the defaults.
CREATE TABLE integrations (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  body TEXT NOT NULL
) STRICT;
