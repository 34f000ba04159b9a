-- FusionAuth's user actions (https://fusionauth.io/docs/apis/user-actions), the actions taken on users with them
-- (https://fusionauth.io/docs/apis/actioning-users), and comments on users
-- (https://fusionauth.io/docs/apis/users, "Comment on a User"). User actions are global, as in FusionAuth: no tenant.

CREATE TABLE user_actions (
  id TEXT PRIMARY KEY,
  -- The user action as the API returns it, every field as sent (`active` included).
  body TEXT NOT NULL
) STRICT;

-- An action taken on a user: FusionAuth's "user action log". Deleting the user deletes them; a hard delete of the
-- user action deletes its history with it, as FusionAuth's does.
CREATE TABLE user_action_logs (
  id TEXT PRIMARY KEY,
  actionee_user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  user_action_id TEXT NOT NULL REFERENCES user_actions (id) ON DELETE CASCADE,
  -- Milliseconds since the epoch; null for an action that is not time-based. A cancel sets it to the cancel's
  -- instant, so "active" is one comparison with Standin's clock.
  expiry INTEGER,
  -- The log as the API returns it.
  body TEXT NOT NULL
) STRICT;

-- Also the lookup every login makes: the user's actions still in force.
CREATE INDEX user_action_logs_actionee ON user_action_logs (actionee_user_id, expiry);
CREATE INDEX user_action_logs_user_action ON user_action_logs (user_action_id);

CREATE TABLE user_comments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  commenter_id TEXT NOT NULL,
  -- Milliseconds since the epoch.
  insert_instant INTEGER NOT NULL,
  comment TEXT NOT NULL
) STRICT;

CREATE INDEX user_comments_user ON user_comments (user_id, insert_instant);
