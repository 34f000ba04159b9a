-- FusionAuth's user action reasons (https://fusionauth.io/docs/apis/user-action-reasons): why an action was taken on
-- a user, named by `reasonId` when actioning one. Global, as user actions are: no tenant. An action taken with a
-- reason keeps the reason's text and code in its own body, so deleting a reason changes no action already taken.
CREATE TABLE user_action_reasons (
  id TEXT PRIMARY KEY,
  -- The reason as the API returns it.
  body TEXT NOT NULL
) STRICT;
