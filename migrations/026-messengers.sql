-- FusionAuth's message templates and messengers (https://fusionauth.io/docs/apis/message-templates,
-- https://fusionauth.io/docs/apis/messengers). Both belong to no tenant, as in FusionAuth. Standin stores them and
-- never sends a message. A messenger's name is unique; a template's is not (the docs ask only for a descriptive one).
-- Tenants and applications name them inside their own bodies; manage/messengers.ts checks before it deletes one.

CREATE TABLE message_templates (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- The template as the API returns it.
  body TEXT NOT NULL
) STRICT;

CREATE TABLE messengers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  -- The messenger as the API returns it, its credentials (Twilio authToken, a Generic messenger's basic
  -- authentication password and headers, Kafka producer settings) included: FusionAuth answers them too.
  body TEXT NOT NULL
) STRICT;
