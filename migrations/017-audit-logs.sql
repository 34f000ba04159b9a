-- FusionAuth's audit log (Audit Logs API): entries an application adds with POST /api/system/audit-log. Ids are
-- numbers, as FusionAuth's; the text columns are what a search matches, body the entry as the API answers it.
CREATE TABLE audit_logs (
  id INTEGER PRIMARY KEY,
  insert_instant INTEGER NOT NULL,
  insert_user TEXT NOT NULL,
  message TEXT NOT NULL,
  -- newValue, oldValue and reason as text (a value that is not a string as its JSON), NULL when not given.
  new_value TEXT,
  old_value TEXT,
  reason TEXT,
  body TEXT NOT NULL
) STRICT;

CREATE INDEX audit_logs_instant ON audit_logs (insert_instant);
