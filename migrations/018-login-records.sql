-- FusionAuth's login records (Login API, "Search Login Records"; User API, "Retrieve Recent Logins"): one row per
-- login, written in the transaction that records the login (oauth/record-login.ts). A hard-deleted user's go with it;
-- an application's stay, with the name it had at the time.
CREATE TABLE login_records (
  id INTEGER PRIMARY KEY,
  instant INTEGER NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  application_id TEXT,
  application_name TEXT,
  ip_address TEXT,
  login_id TEXT,
  login_id_type TEXT
) STRICT;

CREATE INDEX login_records_user ON login_records (user_id, instant);
CREATE INDEX login_records_instant ON login_records (instant);
