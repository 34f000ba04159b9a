import { ApiError, FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from './json.js';

/**
 * FusionAuth's Connectors (https://fusionauth.io/docs/apis/connectors): where a tenant's password logins are checked.
 * The built-in FusionAuth connector (Standin's own password check) always exists; a Generic connector POSTs the login
 * to an HTTP endpoint (https://fusionauth.io/docs/lifecycle/migrate-users/connectors/generic-connector). The LDAP type
 * is refused: Standin speaks no LDAP (docs/connectors.md).
 */

/** "It will always have the UUID of e3306678-…" (https://fusionauth.io/docs/lifecycle/migrate-users/connectors/fusionauth-connector). */
export const FUSIONAUTH_CONNECTOR_ID = 'e3306678-a53a-4964-9040-1c96f36dda72';

export interface FusionAuthConnector extends JsonObject {
  id: string;
  name: string;
  type: 'FusionAuth';
  data: JsonObject;
  debug: boolean;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface GenericConnector extends JsonObject {
  id: string;
  name: string;
  type: 'Generic';
  authenticationURL: string;
  /** Milliseconds. */
  connectTimeout: number;
  readTimeout: number;
  headers: Record<string, string>;
  httpAuthenticationUsername?: string;
  httpAuthenticationPassword?: string;
  sslCertificateKeyId?: string;
  data: JsonObject;
  debug: boolean;
  insertInstant: number;
  lastUpdateInstant: number;
}

export type Connector = FusionAuthConnector | GenericConnector;

/**
 * The FusionAuth connector before anyone renames it. FusionAuth names it "Default" in a new instance (Standin's
 * reading of its admin UI: the docs do not say); its instants are 0 as for the other built-ins: nobody made it.
 */
export function builtInConnector(): FusionAuthConnector {
  return { id: FUSIONAUTH_CONNECTOR_ID, name: 'Default', type: 'FusionAuth', data: {}, debug: false, insertInstant: 0, lastUpdateInstant: 0 };
}

export function isBuiltInConnector(id: string): boolean {
  return id.toLowerCase() === FUSIONAUTH_CONNECTOR_ID;
}

export interface ConnectorContext {
  id: string;
  now: number;
  existing?: Connector;
  /** Whether the key exists and holds what a TLS client needs: an X.509 certificate and its private key. */
  clientCertificateKey: (keyId: string) => boolean;
}

const MAX_NAME = 191;
// A login waits for the connector: bound the wait as the webhooks' timeouts are bounded (model/webhook.ts).
const MAX_TIMEOUT_MS = 600_000;
// RFC 9110 §5.1 (field-name is a token) and §5.5 (field values: visible characters, spaces and tabs).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]{0,8192}$/;
// Headers Standin sets itself, or that would change how the request is framed.
const RESERVED_HEADERS = new Set(['content-length', 'content-type', 'host', 'transfer-encoding', 'connection']);

/**
 * A connector from the `connector` member of a request, with FusionAuth's field errors. The FusionAuth connector's type
 * cannot change, and only its name can ("Only the name of this Connector can be modified", FusionAuth Connector docs).
 */
export function buildConnector(input: JsonObject, context: ConnectorContext): Connector {
  const errors = new FieldErrors();
  const type = isBuiltInConnector(context.id) ? 'FusionAuth' : typeOf(input.type, context.existing);
  const name = typeof input.name === 'string' ? input.name.trim() : undefined;
  if (input.name !== undefined && input.name !== null && typeof input.name !== 'string')
    errors.add('connector.name', 'invalid', 'The [connector.name] property must be a string.');
  else if (!name) errors.add('connector.name', 'blank', 'You must specify the [connector.name] property.');
  else if (name.length > MAX_NAME) errors.add('connector.name', 'tooLong', `The [connector.name] property may be at most ${MAX_NAME} characters.`);
  const data = input.data === undefined || input.data === null ? {} : input.data;
  if (!isObject(data)) errors.add('connector.data', 'invalid', 'The [connector.data] property must be an object.');
  const debug = input.debug === undefined || input.debug === null ? false : input.debug;
  if (typeof debug !== 'boolean') errors.add('connector.debug', 'invalid', 'The [connector.debug] property must be true or false.');
  const common = {
    id: context.id,
    name: name!,
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
  if (type === 'FusionAuth') {
    errors.throwIfAny();
    const existing = context.existing ?? builtInConnector();
    return { ...existing, ...common, type: 'FusionAuth' };
  }
  const generic = genericMembers(input, context, errors);
  errors.throwIfAny();
  return { ...common, type: 'Generic', ...generic, data: data as JsonObject, debug: debug as boolean } as GenericConnector;
}

/** The type a create asks for, or the stored one (a connector's type is "not mutable", OpenAPI BaseConnectorConfiguration). */
function typeOf(value: unknown, existing: Connector | undefined): 'Generic' {
  if (existing !== undefined) return 'Generic';
  if (value === 'LDAP') {
    throw ApiError.general(
      '[NotModelled]',
      'Standin cannot authenticate against LDAP: an LDAP connector is not stored, since logins would never reach it; see docs/connectors.md.',
    );
  }
  if (value === undefined || value === null || value === '')
    new FieldErrors().add('connector.type', 'missing', 'You must specify the [connector.type] property: [Generic] or [LDAP].').throwIfAny();
  if (value !== 'Generic') {
    // The FusionAuth connector is built in: another one cannot be made.
    new FieldErrors().add('connector.type', 'invalid', 'The [connector.type] property must be [Generic] or [LDAP].').throwIfAny();
  }
  return 'Generic';
}

type GenericMembers = Omit<GenericConnector, 'id' | 'name' | 'type' | 'data' | 'debug' | 'insertInstant' | 'lastUpdateInstant'>;

function genericMembers(input: JsonObject, context: ConnectorContext, errors: FieldErrors): GenericMembers {
  const url = input.authenticationURL;
  if (typeof url !== 'string' || url.trim() === '')
    errors.add('connector.authenticationURL', 'blank', 'You must specify the [connector.authenticationURL] property.');
  else if (!isHttpUrl(url.trim()))
    errors.add('connector.authenticationURL', 'invalid', 'The [connector.authenticationURL] property must be a fully qualified http or https URL.');
  for (const field of ['connectTimeout', 'readTimeout'] as const) {
    const value = input[field];
    if (!(typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_TIMEOUT_MS))
      errors.add(`connector.${field}`, 'invalid', `The [connector.${field}] property must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}.`);
  }
  const headers = input.headers === undefined || input.headers === null ? {} : input.headers;
  if (!isObject(headers)) errors.add('connector.headers', 'invalid', 'The [connector.headers] property must map header names to values.');
  else {
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase()) || typeof value !== 'string' || !HEADER_VALUE.test(value))
        errors.add(
          'connector.headers',
          'invalid',
          `The header [${name.slice(0, 64)}] cannot be sent: it must be a valid HTTP header that Standin does not set itself.`,
        );
    }
  }
  const members: GenericMembers = {
    authenticationURL: typeof url === 'string' ? url.trim() : '',
    connectTimeout: input.connectTimeout,
    readTimeout: input.readTimeout,
    headers: isObject(headers) ? headers : {},
  };
  for (const field of ['httpAuthenticationUsername', 'httpAuthenticationPassword'] as const) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') errors.add(`connector.${field}`, 'invalid', `The [connector.${field}] property must be a string.`);
    else members[field] = value;
  }
  const keyId = input.sslCertificateKeyId;
  if (keyId !== undefined && keyId !== null) {
    if (!isUuid(keyId) || !context.clientCertificateKey(keyId.toLowerCase()))
      errors.add(
        'connector.sslCertificateKey',
        'invalid',
        'The [connector.sslCertificateKeyId] property must name a key that holds an X.509 certificate and its private key.',
      );
    else members.sslCertificateKeyId = keyId.toLowerCase();
  }
  return members;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A tenant's connector policy (OpenAPI ConnectorPolicy), as stored on the tenant. */
export interface ConnectorPolicy extends JsonObject {
  connectorId: string;
  domains: string[];
  migrate: boolean;
  data?: JsonObject;
}

/**
 * Whether a policy applies to `loginId`: "`*` … applies to all users", else one of its email domains is the login id's
 * (Connectors overview, "Domains"). A login id that is not an email matches `*` only.
 */
export function policyMatches(policy: ConnectorPolicy, loginId: string): boolean {
  if (policy.domains.includes('*')) return true;
  const at = loginId.lastIndexOf('@');
  return at >= 0 && policy.domains.includes(loginId.slice(at + 1).toLowerCase());
}
