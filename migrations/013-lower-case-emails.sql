-- FusionAuth keeps a user's email lower-cased (User API, `user.email`), and Standin now stores it so. Users written
-- by an older Standin kept the case they were sent with: lower-case them, so that they answer as new users do and a
-- PUT that sends the same address back is not taken for an email change. SQLite's lower() folds ASCII letters only;
-- the lookup column (`email`) was always folded, so every user is still found by any case of their address.
UPDATE users
SET body = json_set(body, '$.email', lower(json_extract(body, '$.email')))
WHERE json_type(body, '$.email') = 'text' AND json_extract(body, '$.email') <> lower(json_extract(body, '$.email'));
