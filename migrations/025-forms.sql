-- FusionAuth's custom forms: form fields and the forms made of them
-- (https://fusionauth.io/docs/apis/custom-forms/form-fields, https://fusionauth.io/docs/apis/custom-forms/forms).
-- Both belong to no tenant, as in FusionAuth; each name is unique. A form names its fields by id inside its body;
-- a field in use by a form cannot be deleted, which manage/forms.ts checks before it deletes.

CREATE TABLE form_fields (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  -- The field as the API returns it.
  body TEXT NOT NULL
) STRICT;

CREATE TABLE forms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  -- The form as the API returns it.
  body TEXT NOT NULL
) STRICT;
