import { addDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { applicationScopes, type Application } from '../model/application.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import { buildOAuthScope, sortByName, type ApplicationOAuthScope } from '../model/oauth-scope.js';
import type { Stores } from '../store/index.js';

/**
 * FusionAuth's OAuth Scopes API (`/api/application/{id}/scope[/{scopeId}]`, body `{scope}`; since 1.50;
 * https://fusionauth.io/docs/apis/scopes). Scopes are stored inside their application, as its roles are,
 * so they leave with it and come back with it on a reset. The application's own lastUpdateInstant does not
 * move: FusionAuth keeps scopes beside the application, not in it.
 */
export function createScope(
  stores: Stores,
  now: number,
  application: Application,
  scopeId: string | undefined,
  input: JsonObject,
): ApplicationOAuthScope {
  const id = scopeId ?? randomUUID();
  const errors = new FieldErrors();
  const scope = buildOAuthScope(input, { id, applicationId: application.id, now }, 'scope', errors);
  // A scope id is unique across applications, as a row id is in FusionAuth.
  if (scopeId !== undefined && stores.applications.list().some((other) => applicationScopes(other).some((existing) => existing.id === id))) {
    addDuplicateId(errors, 'scopeId', 'A scope', id);
  }
  errors.throwIfAny();
  if (applicationScopes(application).some((existing) => existing.name === scope.name)) {
    errors.add('scope.name', 'duplicate', `The application already has a scope named [${scope.name}].`).throwIfAny();
  }
  save(stores, application, [...applicationScopes(application), scope]);
  return scope;
}

/** The scope with this id, or FusionAuth's empty 404. */
export function findScope(application: Application, scopeId: string): ApplicationOAuthScope {
  const scope = applicationScopes(application).find((candidate) => candidate.id === scopeId);
  if (!scope) throw ApiError.notFound();
  return scope;
}

/** PUT replaces the scope with `input`; PATCH merges `input` into it (RFC 7396). The name stays either way. */
export function updateScope(
  stores: Stores,
  now: number,
  application: Application,
  scopeId: string,
  input: JsonObject,
  mode: 'replace' | 'merge',
): ApplicationOAuthScope {
  const existing = findScope(application, scopeId);
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const errors = new FieldErrors();
  const scope = buildOAuthScope(isObject(next) ? next : {}, { id: existing.id, applicationId: application.id, now, existing }, 'scope', errors);
  errors.throwIfAny();
  save(
    stores,
    application,
    applicationScopes(application).map((current) => (current.id === scope.id ? scope : current)),
  );
  return scope;
}

/** A hard delete, as FusionAuth's. Tokens already issued keep the scope in their `scope` claim. */
export function deleteScope(stores: Stores, application: Application, scopeId: string): void {
  const existing = findScope(application, scopeId);
  save(
    stores,
    application,
    applicationScopes(application).filter((scope) => scope.id !== existing.id),
  );
}

function save(stores: Stores, application: Application, scopes: ApplicationOAuthScope[]): void {
  stores.applications.update({ ...application, scopes: sortByName(scopes) });
}
