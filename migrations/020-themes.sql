-- FusionAuth's themes (Themes API, https://fusionauth.io/docs/apis/themes/advanced-themes): the theme as FusionAuth
-- answers it, JSON, with its name for the uniqueness FusionAuth asks of it. FusionAuth's built-in theme is not a
-- row: it is part of Standin (model/built-in-theme.ts), so that it can be neither changed nor deleted. Templates
-- are stored and answered, never rendered (docs/themes.md).
CREATE TABLE themes (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL
) STRICT;
