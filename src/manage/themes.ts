import { refuseDuplicateId, refuseDuplicateName } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { builtInTheme, isBuiltInTheme } from '../model/built-in-theme.js';
import { isObject, isUuid, mergePatch, shownValue, type JsonObject } from '../model/json.js';
import { buildTheme, type Theme } from '../model/theme.js';
import type { Stores } from '../store/index.js';
import { refuseInUse } from './refuse-in-use.js';
import { searchObjects, type Found } from './search.js';

/** A theme by id: FusionAuth's built-in one, or one made through the Themes API. */
export function getTheme(stores: Stores, id: string): Theme | undefined {
  return isBuiltInTheme(id) ? builtInTheme() : stores.themes.get(id);
}

/** Every theme, the built-in one among them, by name (FusionAuth's Retrieve all of the Themes). */
export function listThemes(stores: Stores): Theme[] {
  const themes = [builtInTheme(), ...stores.themes.list()];
  return themes.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id));
}

/**
 * Creates a theme. With `source` (the request's `sourceThemeId`), a copy: only the request's `theme.name` is read,
 * and the source's messages, templates and stylesheet (a simple theme's variables) are copied (FusionAuth's Create an
 * Advanced Theme, "Create from an existing theme").
 */
export function createTheme(stores: Stores, now: number, id: string | undefined, input: JsonObject, source?: Theme): Theme {
  const themeId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(getTheme(stores, themeId) !== undefined, 'themeId', 'A theme', themeId);
  const given = source ? copiedFrom(source, input.name) : input;
  const theme = buildTheme(given, { id: themeId, now });
  refuseDuplicateName(nameHolder(stores, theme.name), theme, 'theme.name', 'A theme');
  stores.themes.insert(theme);
  return theme;
}

function copiedFrom(source: Theme, name: unknown): JsonObject {
  const { type, defaultMessages, localizedMessages, templates, stylesheet, variables } = source;
  return { name, type, defaultMessages, localizedMessages, templates, stylesheet, variables };
}

/** PUT replaces the theme with `input`; PATCH merges `input` into it (RFC 7396). The built-in theme is read-only. */
export function updateTheme(stores: Stores, now: number, existing: Theme, input: JsonObject, mode: 'replace' | 'merge'): Theme {
  refuseBuiltIn(existing.id, 'changed');
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const theme = buildTheme(isObject(next) ? next : {}, { id: existing.id, now, existing });
  refuseDuplicateName(nameHolder(stores, theme.name), theme, 'theme.name', 'A theme');
  stores.themes.update(theme);
  return theme;
}

/**
 * Deletes a theme. The built-in one cannot be, nor one a tenant or an application names as its `themeId`: either
 * would be left naming a theme that is not there.
 */
export function deleteTheme(stores: Stores, theme: Theme): void {
  refuseBuiltIn(theme.id, 'deleted');
  const users = [
    ...stores.tenants
      .list()
      .filter((tenant) => sameId(tenant.themeId, theme.id))
      .map((tenant) => `tenant [${tenant.name}]`),
    ...stores.applications
      .list()
      .filter((application) => sameId(application.themeId, theme.id))
      .map((application) => `application [${application.name}]`),
  ];
  refuseInUse('themeId', 'theme', users);
  stores.themes.delete(theme.id);
}

function refuseBuiltIn(id: string, what: 'changed' | 'deleted'): void {
  if (isBuiltInTheme(id)) {
    new FieldErrors().add('themeId', 'invalid', `The theme is FusionAuth's built-in theme, which is read-only and cannot be ${what}.`).throwIfAny();
  }
}

/** The id of the theme named `name`: the built-in theme's name is taken too. */
function nameHolder(stores: Stores, name: string): string | undefined {
  return name === builtInTheme().name ? builtInTheme().id : stores.themes.idByName(name);
}

function sameId(value: unknown, id: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === id;
}

/**
 * `object` (a tenant or an application about to be written) with its `themeId` in lower case, or FusionAuth's
 * `[invalid]tenant.themeId` (`application.themeId`) when it names no theme (Tenant API, Application API: "The unique
 * Id of the theme to be used to style the login page and other end user templates").
 */
export function withThemeReference<T extends JsonObject>(stores: Stores, object: T, owner: 'tenant' | 'application'): T {
  const themeId = object.themeId;
  if (themeId === undefined || themeId === null) return object;
  if (!isUuid(themeId) || !getTheme(stores, themeId)) {
    const message = `The [${owner}.themeId] property value [${shownValue(themeId).slice(0, 128)}] does not identify a theme.`;
    new FieldErrors().add(`${owner}.themeId`, 'invalid', message).throwIfAny();
  }
  return { ...object, themeId: (themeId as string).toLowerCase() };
}

/**
 * FusionAuth's Search for Themes (https://fusionauth.io/docs/apis/themes/advanced-themes): `name` as text, `type`
 * (in its OpenAPI description's criteria); ordered by `id`, `insertInstant` or `name` (the default).
 */
export function searchThemes(stores: Stores, criteria: unknown, prefix: string): Found<Theme> {
  return searchObjects(
    listThemes(stores),
    criteria,
    {
      orderBy: { id: (theme) => theme.id, insertInstant: (theme) => theme.insertInstant, name: (theme) => theme.name },
      defaultOrder: 'name',
      text: { name: (theme) => theme.name },
      exact: { type: { values: ['advanced', 'simple'], of: (theme) => theme.type } },
    },
    prefix,
  );
}
