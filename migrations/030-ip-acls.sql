-- FusionAuth's IP Access Control Lists (https://fusionauth.io/docs/apis/ip-acl): named by API keys, tenants and
-- applications (their `body`), checked against the client address. Each row keeps the list as the API answers it.

CREATE TABLE ip_acls (
  id TEXT PRIMARY KEY,
  -- "The unique name of this IP ACL".
  name TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL
) STRICT;
