-- Webhooks (FusionAuth Webhook API): the whole webhook as JSON.
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL
) STRICT;

-- Every event Standin sent to at least one webhook, with each delivery attempt and its outcome (FusionAuth's
-- Webhook Event Log API; also what GET /_standin/events lists, docs/webhooks.md).
CREATE TABLE webhook_event_logs (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  insert_instant INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  -- Running until the event's deliveries have ended (or its transaction decided), then Succeeded or Failed.
  event_result TEXT NOT NULL CHECK (event_result IN ('Running', 'Succeeded', 'Failed')),
  -- The tenant the event belongs to, for the control API's ?tenantId= (empty for none).
  tenant_id TEXT NOT NULL,
  -- The WebhookEventLog object: the event as sent, its attempts, counts and instants.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX webhook_event_logs_type ON webhook_event_logs (event_type, seq);
