import { randomUUID } from 'node:crypto';
import type { FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from './json.js';
import { PROVIDED_SCOPES } from './scope-policy.js';

/**
 * A custom OAuth scope of one application (FusionAuth OAuth Scopes API, `ApplicationOAuthScope`; since
 * 1.50): `name` is what a client asks for in `scope=`. Optional texts are absent rather than null, as
 * FusionAuth leaves null members out of its JSON.
 */
export interface ApplicationOAuthScope extends JsonObject {
  applicationId: string;
  data: JsonObject;
  defaultConsentDetail?: string;
  defaultConsentMessage?: string;
  description?: string;
  id: string;
  insertInstant: number;
  lastUpdateInstant: number;
  name: string;
  required: boolean;
}

/** Names a custom scope may not take: `openid`, `offline_access` and the provided scopes (FusionAuth Scopes docs). */
export const RESERVED_SCOPE_NAMES: readonly string[] = ['openid', 'offline_access', ...PROVIDED_SCOPES];
/** Prefixes FusionAuth keeps for device linking and Entity Management scopes. */
export const RESERVED_SCOPE_PREFIXES: readonly string[] = ['idp-link:', 'source-entity:', 'target-entity:'];
/**
 * The longest name Standin takes. FusionAuth caps it at its indexed-column length, which its docs do not
 * give; 191 is the usual one for an indexed UTF-8 column (docs/oauth-scopes.md).
 */
export const MAX_SCOPE_NAME_LENGTH = 191;
// RFC 6749 §3.3 scope-token: printable ASCII but space, `"` and `\`.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export interface ScopeContext {
  id: string;
  applicationId: string;
  now: number;
  /** The scope being replaced or patched, whose name and insertInstant stay. */
  existing?: ApplicationOAuthScope;
}

/**
 * Builds a scope from the `scope` member of a request body, adding FusionAuth's field errors under `path`
 * (`scope` for the OAuth Scopes API, `application.scopes[i]` inside an application). On an update the name
 * may be left out, and may not change (FusionAuth: create a new scope and delete the old one).
 */
export function buildOAuthScope(input: JsonObject, context: ScopeContext, path: string, errors: FieldErrors): ApplicationOAuthScope {
  // Members FusionAuth does not define, and the server-owned id, applicationId and instants, are not kept.
  const given = input;
  const name: unknown = typeof given.name === 'string' ? given.name.trim() : given.name;
  const { existing } = context;
  if (existing && name !== undefined && name !== null && name !== existing.name) {
    errors.add(`${path}.name`, 'invalid', 'The scope name cannot be changed; create a scope with the new name and delete this one.');
  } else if (!existing) {
    checkName(name, `${path}.name`, errors);
  }
  for (const field of ['description', 'defaultConsentMessage', 'defaultConsentDetail'] as const) {
    const value = given[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      errors.add(`${path}.${field}`, 'invalid', `The [${path}.${field}] property must be a string.`);
  }
  if (given.required !== undefined && given.required !== null && typeof given.required !== 'boolean') {
    errors.add(`${path}.required`, 'invalid', `The [${path}.required] property must be true or false.`);
  }
  if (given.data !== undefined && given.data !== null && !isObject(given.data)) {
    errors.add(`${path}.data`, 'invalid', `The [${path}.data] property must be an object.`);
  }
  const { data, defaultConsentDetail, defaultConsentMessage, description, required } = given;
  return {
    applicationId: context.applicationId,
    data: isObject(data) ? data : {},
    ...textMember('defaultConsentDetail', defaultConsentDetail),
    ...textMember('defaultConsentMessage', defaultConsentMessage),
    ...textMember('description', description),
    id: context.id,
    insertInstant: existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
    name: existing?.name ?? (typeof name === 'string' ? name : ''),
    required: required === true,
  };
}

/**
 * The `scopes` of an application create request, which FusionAuth creates with the application: each
 * checked as the OAuth Scopes API checks one, names and ids unique within the list.
 */
export function buildApplicationScopes(input: unknown, applicationId: string, now: number, errors: FieldErrors): ApplicationOAuthScope[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) {
    errors.add('application.scopes', 'invalid', 'The [application.scopes] property must be a list of scopes.');
    return [];
  }
  const names = new Set<string>();
  const ids = new Set<string>();
  const scopes = input.map((given: unknown, index) => {
    const path = `application.scopes[${index}]`;
    const value = isObject(given) ? given : {};
    const id = isUuid(value.id) ? value.id.toLowerCase() : randomUUID();
    if (value.id !== undefined && value.id !== null && !isUuid(value.id))
      errors.add(`${path}.id`, 'invalid', `The [${path}.id] property must be a UUID.`);
    else if (ids.has(id)) errors.add(`${path}.id`, 'duplicate', `The scope Id [${id}] is given more than once.`);
    ids.add(id);
    const scope = buildOAuthScope(value, { id, applicationId, now }, path, errors);
    if (scope.name !== '' && names.has(scope.name)) errors.add(`${path}.name`, 'duplicate', `The scope [${scope.name}] is defined more than once.`);
    names.add(scope.name);
    return scope;
  });
  return sortByName(scopes);
}

/** FusionAuth orders an application's scopes by name. */
export function sortByName(scopes: ApplicationOAuthScope[]): ApplicationOAuthScope[] {
  return [...scopes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function checkName(name: unknown, field: string, errors: FieldErrors): void {
  if (typeof name !== 'string' || name === '') {
    errors.add(field, 'blank', `You must specify the [${field}] property.`);
  } else if (name.length > MAX_SCOPE_NAME_LENGTH) {
    errors.add(field, 'tooLong', `The [${field}] property may be at most ${MAX_SCOPE_NAME_LENGTH} characters long.`);
  } else if (RESERVED_SCOPE_NAMES.includes(name)) {
    errors.add(field, 'invalid', `The scope names [${RESERVED_SCOPE_NAMES.join(', ')}] are reserved; choose another name.`);
  } else if (!SCOPE_TOKEN.test(name)) {
    errors.add(field, 'invalid', 'A scope name may hold only printable ASCII characters other than space, double quote and backslash.');
  } else if (RESERVED_SCOPE_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    errors.add(field, 'invalid', `The scope name prefixes [${RESERVED_SCOPE_PREFIXES.join(', ')}] are reserved; choose another name.`);
  }
}

/** FusionAuth trims these texts and drops them when blank. */
function textMember<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  if (typeof value !== 'string' || value.trim() === '') return {};
  return { [key]: value.trim() } as Partial<Record<K, string>>;
}
