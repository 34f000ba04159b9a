-- A two-factor method's display name (FusionAuth 1.68 Update Multi-Factor Method,
-- https://fusionauth.io/docs/apis/two-factor/update-multi-factor-method; `name` of the Two Factor API's enable).
-- NULL: the method has none.
ALTER TABLE two_factor_methods ADD COLUMN name TEXT;
