-- FusionAuth's Identity Verify API (https://fusionauth.io/docs/apis/identity-verify) starts an email verification
-- that is sent, and completed, by later calls: the row keeps what those calls need.
-- The strategy the start asked for; NULL follows the tenant's emailConfiguration.verificationStrategy, as before.
ALTER TABLE verification_ids ADD COLUMN strategy TEXT CHECK (strategy IN ('ClickableLink', 'FormField'));
-- The start's `state` (JSON), answered by the Complete API; NULL when none was given.
ALTER TABLE verification_ids ADD COLUMN state TEXT;
-- The application whose verification template the Send API uses; NULL for the tenant's template.
ALTER TABLE verification_ids ADD COLUMN template_application_id TEXT;
-- The one-time code, sealed (AES-256-GCM) with a key derived from the verification id, which is itself kept as a
-- hash only: the Send API, given the id, can email the code; the database alone reveals neither. NULL for rows
-- issued before this migration.
ALTER TABLE verification_ids ADD COLUMN sealed_code TEXT;
