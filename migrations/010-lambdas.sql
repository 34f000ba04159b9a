-- FusionAuth's lambdas (Lambda API): the JavaScript a JWT, id token or UserInfo populate runs, and the other
-- types a kickstart attaches, which Standin stores and lists.
CREATE TABLE lambdas (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  -- The lambda as FusionAuth answers it, JSON.
  body TEXT NOT NULL
) STRICT;

CREATE INDEX lambdas_type ON lambdas (type);

-- FusionAuth's event log (Event Log API): what lambdas print and their failures. Ids are numbers, as FusionAuth's.
CREATE TABLE event_logs (
  id INTEGER PRIMARY KEY,
  insert_instant INTEGER NOT NULL,
  type TEXT NOT NULL,
  message TEXT NOT NULL
) STRICT;

CREATE INDEX event_logs_instant ON event_logs (insert_instant);
