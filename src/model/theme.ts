import { ApiError, FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';
import { THEME_TEMPLATE_NAMES } from './theme-templates.js';

export type ThemeType = 'advanced' | 'simple';

/**
 * FusionAuth's theme (https://fusionauth.io/docs/apis/themes/advanced-themes, simple-themes). Standin stores and
 * answers it; its templates are FreeMarker for FusionAuth's hosted pages, which Standin does not render: its own
 * hosted pages are its own (docs/themes.md).
 */
export interface Theme extends JsonObject {
  id: string;
  name: string;
  type: ThemeType;
  defaultMessages: string;
  localizedMessages: Record<string, string>;
  templates: Record<string, string>;
  stylesheet?: string;
  /** A simple theme's CSS variables (Simple Themes API); stored as given. */
  variables?: JsonObject;
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface ThemeContext {
  id: string;
  now: number;
  existing?: Theme;
}

const THEME_TYPES: readonly string[] = ['advanced', 'simple'];

/**
 * Builds a theme from the `theme` member of a request body, or throws FusionAuth's errors. What FusionAuth cannot
 * read into its Theme object at all (a `type` outside its enum, a template name it has no member for, `templates`
 * that is not an object) is `[invalidJSON]`, before any field is checked; then `[blank]theme.name` and `[invalid]`
 * for a member of the wrong type. Members FusionAuth's Theme has not are left out.
 */
export function buildTheme(input: JsonObject, context: ThemeContext): Theme {
  refuseUnparsable(input);
  const errors = new FieldErrors();
  const { name, type, defaultMessages, localizedMessages, templates, stylesheet, variables, data } = input;
  if (typeof name !== 'string' || name.trim() === '') errors.add('theme.name', 'blank', 'You must specify the [theme.name] property.');
  const theme: JsonObject = {
    id: context.id,
    name,
    type: type ?? 'advanced',
    defaultMessages: optionalString(defaultMessages, 'theme.defaultMessages', errors) ?? '',
    localizedMessages: stringMap(localizedMessages, 'theme.localizedMessages', errors),
    templates: stringMap(templates, 'theme.templates', errors),
    data: {},
  };
  const css = optionalString(stylesheet, 'theme.stylesheet', errors);
  if (css !== undefined) theme.stylesheet = css;
  if (data !== undefined && data !== null) {
    if (isObject(data)) theme.data = data;
    else errors.add('theme.data', 'invalid', 'The [theme.data] property must be an object.');
  }
  if (variables !== undefined && variables !== null) {
    if (isObject(variables)) theme.variables = variables;
    else errors.add('theme.variables', 'invalid', 'The [theme.variables] property must be an object.');
  } else if (theme.type === 'simple') {
    // Simple Themes API: "If a Theme is simple then the theme.variables field is required."
    errors.add('theme.variables', 'blank', 'You must specify the [theme.variables] property for a simple theme.');
  }
  errors.throwIfAny();
  return { ...theme, insertInstant: context.existing?.insertInstant ?? context.now, lastUpdateInstant: context.now } as Theme;
}

function refuseUnparsable(input: JsonObject): void {
  const { type, templates } = input;
  let problem: string | undefined;
  if (type !== undefined && type !== null && !THEME_TYPES.includes(type as string)) {
    problem = `The [theme.type] property must be one of [${THEME_TYPES.join(', ')}].`;
  } else if (templates !== undefined && templates !== null && !isObject(templates)) {
    problem = 'The [theme.templates] property must be an object of templates.';
  } else if (isObject(templates)) {
    const unknown = Object.keys(templates).find((template) => !THEME_TEMPLATE_NAMES.has(template));
    if (unknown !== undefined) problem = `The [theme.templates] property has [${unknown.slice(0, 128)}], which is not a FusionAuth theme template.`;
  }
  if (problem !== undefined) throw ApiError.general('[invalidJSON]', `Unable to parse JSON. ${problem}`);
}

function optionalString(value: unknown, field: string, errors: FieldErrors): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  errors.add(field, 'invalid', `The [${field}] property must be a string.`);
  return undefined;
}

/** `localizedMessages` (locale → messages) or `templates` (name → template): strings only; a `null` one is left out. */
function stringMap(value: unknown, field: string, errors: FieldErrors): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be an object of strings.`);
    return {};
  }
  const map: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    if (text === null || text === undefined) continue;
    if (typeof text === 'string') map[key] = text;
    else errors.add(`${field}.${key}`, 'invalid', `The [${field}.${key}] property must be a string.`);
  }
  return map;
}
