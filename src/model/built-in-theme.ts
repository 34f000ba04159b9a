import type { Theme } from './theme.js';

/**
 * FusionAuth's built-in theme, named "FusionAuth": every FusionAuth instance has it, with this id, and it cannot
 * be changed or deleted (https://fusionauth.io/docs/get-started/download-and-install/development/kickstart,
 * "Default entities"; https://fusionauth.io/docs/customize/look-and-feel/advanced-themes). A tenant that names no
 * theme uses it.
 */
export const DEFAULT_THEME_ID = '75a068fd-e94b-451a-9aeb-3ddb9a3b5987';

/**
 * The built-in theme as Standin answers it. FusionAuth's carries its own templates, messages and stylesheet; Standin
 * ships none of them, since its hosted pages are its own and render no theme: they are empty here, and so are those
 * of a theme copied from it (docs/themes.md). Its instants are 0: it was not made by anyone at any time.
 */
export function builtInTheme(): Theme {
  return {
    id: DEFAULT_THEME_ID,
    name: 'FusionAuth',
    type: 'advanced',
    defaultMessages: '',
    localizedMessages: {},
    templates: {},
    stylesheet: '',
    data: {},
    insertInstant: 0,
    lastUpdateInstant: 0,
  };
}

export function isBuiltInTheme(id: string): boolean {
  return id.toLowerCase() === DEFAULT_THEME_ID;
}
