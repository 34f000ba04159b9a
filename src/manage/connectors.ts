import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import {
  buildConnector,
  builtInConnector,
  FUSIONAUTH_CONNECTOR_ID,
  isBuiltInConnector,
  type Connector,
  type ConnectorPolicy,
} from '../model/connector.js';
import { isObject, isUuid, mergePatch, shownValue, type JsonObject } from '../model/json.js';
import { refuseDuplicateId, refuseDuplicateName } from '../model/refuse-duplicate.js';
import type { Stores } from '../store/index.js';
import { refuseInUse } from './refuse-in-use.js';

/** A connector by id: the FusionAuth connector is always there, renamed or not. */
export function findConnector(stores: Stores, id: string): Connector | undefined {
  return stores.connectors.get(id) ?? (isBuiltInConnector(id) ? builtInConnector() : undefined);
}

/** Every connector, the FusionAuth one first ("Retrieve all Connectors", https://fusionauth.io/docs/apis/connectors). */
export function listConnectors(stores: Stores): Connector[] {
  const stored = stores.connectors.list();
  const builtIn = stored.find((connector) => connector.id === FUSIONAUTH_CONNECTOR_ID) ?? builtInConnector();
  return [builtIn, ...stored.filter((connector) => connector.id !== FUSIONAUTH_CONNECTOR_ID)];
}

/** Creates a Generic connector (Generic Connector APIs, "Create the Generic Connector"). */
export function createConnector(stores: Stores, now: number, id: string | undefined, input: JsonObject): Connector {
  const connectorId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(findConnector(stores, connectorId) !== undefined, 'connectorId', 'A connector', connectorId);
  const connector = buildConnector(input, { id: connectorId, now, clientCertificateKey: clientCertificateKey(stores) });
  checkUniqueName(stores, connector);
  stores.connectors.save(connector);
  return connector;
}

/** PUT replaces the connector with `input`, PATCH merges `input` into it (RFC 7396); the FusionAuth one takes a name only. */
export function updateConnector(stores: Stores, now: number, existing: Connector, input: JsonObject, mode: 'replace' | 'merge'): Connector {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const connector = buildConnector(isObject(next) ? next : {}, {
    id: existing.id,
    now,
    existing,
    clientCertificateKey: clientCertificateKey(stores),
  });
  checkUniqueName(stores, connector);
  stores.connectors.save(connector);
  return connector;
}

/**
 * Deletes a connector. The FusionAuth connector "is always present and cannot be deleted" (`[fusionAuth]connectorId`);
 * one a tenant's `connectorPolicies` names is refused (`[inUse]connectorId`), so that no policy names nothing. Users it
 * authenticated go through their tenant's policies again ("If a Connector is deleted, users will be authenticated
 * against the Connectors in the order defined by the current policy", Connectors overview).
 */
export function deleteConnector(stores: Stores, connector: Connector): void {
  if (connector.id === FUSIONAUTH_CONNECTOR_ID)
    new FieldErrors().add('connectorId', 'fusionAuth', 'The FusionAuth connector is built in and cannot be deleted.').throwIfAny();
  const tenants = stores.tenants.list().filter((tenant) => policiesOf(tenant).some((policy) => policy.connectorId === connector.id));
  refuseInUse(
    'connectorId',
    'connector',
    tenants.map((tenant) => `the tenant [${tenant.name}]`),
  );
  stores.connectors.delete(connector.id);
}

function policiesOf(tenant: JsonObject): ConnectorPolicy[] {
  return Array.isArray(tenant.connectorPolicies) ? (tenant.connectorPolicies as ConnectorPolicy[]) : [];
}

/**
 * The policies a tenant's logins follow, in order: the stored ones, else the FusionAuth connector alone (FusionAuth's
 * default for a tenant that names none).
 */
export function tenantPolicies(tenant: JsonObject | undefined): ConnectorPolicy[] {
  const policies = tenant === undefined ? [] : policiesOf(tenant);
  return policies.length > 0 ? policies : [defaultPolicy()];
}

function defaultPolicy(): ConnectorPolicy {
  return { connectorId: FUSIONAUTH_CONNECTOR_ID, domains: ['*'], migrate: false };
}

/**
 * `tenant` (about to be written) with its `connectorPolicies` checked as FusionAuth checks them (Tenant API,
 * `connectorPolicies`): each names a stored connector (`[invalid]tenant.connectorPolicies.connectorId`), one names the
 * FusionAuth connector (`[invalid]tenant.connectorPolicies`), whose policy always has the domain `*` and no migration;
 * domains are kept in lower case. Left out: the FusionAuth connector alone.
 */
export function withConnectorPolicies<T extends JsonObject>(stores: Stores, tenant: T): T {
  const given = tenant.connectorPolicies;
  if (given === undefined || given === null) return tenant;
  if (Array.isArray(given) && given.length === 0) return { ...tenant, connectorPolicies: [defaultPolicy()] };
  const errors = new FieldErrors();
  if (!Array.isArray(given)) {
    errors.add('tenant.connectorPolicies', 'invalid', 'The [tenant.connectorPolicies] property must be a list of connector policies.').throwIfAny();
    return tenant;
  }
  const policies = given.map((value, index) => policyOf(stores, value, `tenant.connectorPolicies[${index}]`, errors));
  if (!policies.some((policy) => policy?.connectorId === FUSIONAUTH_CONNECTOR_ID))
    errors.add('tenant.connectorPolicies', 'invalid', 'The [tenant.connectorPolicies] property must have a policy for the FusionAuth connector.');
  errors.throwIfAny();
  return { ...tenant, connectorPolicies: policies };
}

function policyOf(stores: Stores, value: unknown, field: string, errors: FieldErrors): ConnectorPolicy | undefined {
  if (!isObject(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be an object.`);
    return undefined;
  }
  const id = value.connectorId ?? FUSIONAUTH_CONNECTOR_ID;
  if (!isUuid(id) || findConnector(stores, id) === undefined) {
    const message = `The [${field}.connectorId] property value [${shownValue(id).slice(0, 128)}] does not identify a connector.`;
    errors.add(`${field}.connectorId`, 'invalid', message, '[invalid]tenant.connectorPolicies.connectorId');
    return undefined;
  }
  const connectorId = id.toLowerCase();
  const domains = value.domains ?? ['*'];
  const migrate = value.migrate ?? false;
  const data = value.data;
  if (!Array.isArray(domains) || domains.length === 0 || domains.some((domain) => typeof domain !== 'string' || domain.trim() === ''))
    errors.add(`${field}.domains`, 'invalid', `The [${field}.domains] property must list email domains, or [*] for every user.`);
  if (typeof migrate !== 'boolean') errors.add(`${field}.migrate`, 'invalid', `The [${field}.migrate] property must be true or false.`);
  if (data !== undefined && data !== null && !isObject(data))
    errors.add(`${field}.data`, 'invalid', `The [${field}.data] property must be an object.`);
  const kept = isObject(data) ? { data } : {};
  if (connectorId === FUSIONAUTH_CONNECTOR_ID) return { connectorId, domains: ['*'], migrate: false, ...kept };
  const lowered = Array.isArray(domains) ? [...new Set(domains.map((domain) => String(domain).trim().toLowerCase()))] : [];
  return { connectorId, domains: lowered, migrate: migrate === true, ...kept };
}

function clientCertificateKey(stores: Stores): (keyId: string) => boolean {
  return (keyId) => {
    const stored = stores.keys.get(keyId);
    return stored?.key.certificate !== undefined && stored.privateKey !== undefined;
  };
}

function checkUniqueName(stores: Stores, connector: Connector): void {
  // The FusionAuth connector's name is taken while it has no row of its own.
  const builtInName = stores.connectors.get(FUSIONAUTH_CONNECTOR_ID) === undefined ? builtInConnector().name : undefined;
  const holder = stores.connectors.idByName(connector.name) ?? (connector.name === builtInName ? FUSIONAUTH_CONNECTOR_ID : undefined);
  refuseDuplicateName(holder, connector, 'connector.name', 'A connector');
}
