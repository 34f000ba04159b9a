import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { endpointPermissions, KEY_METHODS } from '../model/api-key.js';
import { isObject, isUuid } from '../model/json.js';
import { BUILT_IN_OBJECT_IDS, builtInVariables, FUSIONAUTH_APPLICATION_ID } from './built-in-variables.js';
import { substitute } from './substitute.js';
import { KickstartError, type Kickstart, type KickstartApiKey, type KickstartRequest, type ResolvedKickstart } from './types.js';

const METHODS: readonly string[] = ['POST', 'PUT', 'PATCH'];

/**
 * Reads a kickstart (a file path or an inline object) and resolves its placeholders, checking its shape
 * before anything touches the database. Variables resolve first, in order, so a variable may use `#{UUID()}`,
 * `#{ENV.X}` or an earlier variable; `defaultTenantId` names the default tenant (Kickstart docs).
 */
export function loadKickstart(source: string | Kickstart, env: Record<string, string | undefined> = process.env): ResolvedKickstart {
  const { kickstart, baseDir } = typeof source === 'string' ? readKickstartFile(source) : { kickstart: source, baseDir: process.cwd() };
  if (!isObject(kickstart)) throw new KickstartError('the kickstart must be a JSON object');

  if (kickstart.variables !== undefined && !isObject(kickstart.variables)) throw new KickstartError('"variables" must be an object');
  const declared: Record<string, unknown> = { ...BUILT_IN_OBJECT_IDS, FUSIONAUTH_APPLICATION_ID };
  for (const [name, value] of Object.entries(kickstart.variables ?? {})) {
    declared[name] = substitute(value, { baseDir, variables: declared, env }, `variables.${name}`);
  }
  const variables = { ...declared, ...builtInVariables(declared) };
  const context = { baseDir, variables, env };

  if (!Array.isArray(kickstart.apiKeys) || kickstart.apiKeys.length === 0) {
    throw new KickstartError('"apiKeys" must list at least one API key: the first one replays the requests');
  }
  const apiKeys = kickstart.apiKeys.map((apiKey, index) => checkApiKey(substitute(apiKey, context, `apiKeys[${index}]`), index));
  apiKeys.forEach(({ key }, index) => {
    const first = apiKeys.findIndex((other) => other.key === key);
    if (first !== index) throw new KickstartError(`apiKeys[${index}]: the same key as apiKeys[${first}]`);
  });
  if (kickstart.requests !== undefined && !Array.isArray(kickstart.requests)) throw new KickstartError('"requests" must be a list');
  const requests = (kickstart.requests ?? []).map((request, index) => checkRequest(substitute(request, context, `requests[${index}]`), index));
  return { variables, apiKeys, requests };
}

/**
 * Reads and parses a kickstart file without resolving anything in it: what a start on a database that holds data
 * checks, as the kickstart will not run (its variables may name environment variables or files gone since).
 */
export function checkKickstartParses(source: string | Kickstart): void {
  if (typeof source === 'string') readKickstartFile(source);
}

function readKickstartFile(path: string): { kickstart: Kickstart; baseDir: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KickstartError(`cannot read the kickstart file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return { kickstart: JSON.parse(text) as Kickstart, baseDir: dirname(resolve(path)) };
  } catch (error) {
    throw new KickstartError(`the kickstart file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function checkApiKey(value: unknown, index: number): KickstartApiKey {
  if (!isObject(value) || typeof value.key !== 'string' || value.key.length === 0) {
    throw new KickstartError(`apiKeys[${index}]: each API key needs a non-empty "key"`);
  }
  const { permissions, ...rest } = value as KickstartApiKey;
  const apiKey: KickstartApiKey = { ...rest, ...permissionsOf(permissions, index) };
  if (apiKey.keyManager !== undefined && typeof apiKey.keyManager !== 'boolean')
    throw new KickstartError(`apiKeys[${index}]: "keyManager" must be true or false`);
  if (apiKey.expirationInstant !== undefined && !Number.isSafeInteger(apiKey.expirationInstant))
    throw new KickstartError(`apiKeys[${index}]: "expirationInstant" must be milliseconds since the epoch`);
  // FusionAuth's Kickstart docs: the first key replays the requests, so it must reach every tenant and endpoint.
  if (index === 0 && (apiKey.tenantId !== undefined || Object.keys(apiKey.permissions?.endpoints ?? {}).length > 0))
    throw new KickstartError(
      'apiKeys[0]: the first API key replays the requests, so it may be neither bound to a tenant nor limited to some endpoints',
    );
  const limited = ipAclOf(apiKey, index);
  if (limited.tenantId === undefined) return limited;
  if (!isUuid(limited.tenantId)) throw new KickstartError(`apiKeys[${index}]: "tenantId" ${JSON.stringify(apiKey.tenantId)} is not a UUID`);
  // Stored ids are lower case, as the default tenant's is (built-in-variables.ts).
  return { ...limited, tenantId: limited.tenantId.toLowerCase() };
}

/**
 * `ipAccessControlListId`, the IP ACL a key is limited to (docs/ip-acls.md), in lower case. Not on the first key:
 * it replays the requests, which a list they create could then block.
 */
function ipAclOf(apiKey: KickstartApiKey, index: number): KickstartApiKey {
  // As the kickstart file gives it: any JSON value.
  const listId: unknown = (apiKey as Record<string, unknown>).ipAccessControlListId;
  if (listId === undefined || listId === null) {
    const { ipAccessControlListId: _absent, ...rest } = apiKey;
    return rest;
  }
  if (!isUuid(listId)) throw new KickstartError(`apiKeys[${index}]: "ipAccessControlListId" ${JSON.stringify(listId)} is not a UUID`);
  if (index === 0) throw new KickstartError('apiKeys[0]: the first API key replays the requests, so it may not be limited to an IP ACL');
  return { ...apiKey, ipAccessControlListId: listId.toLowerCase() };
}

/** `permissions.endpoints` as model/api-key.ts reads them for the API Key API too. */
function permissionsOf(permissions: unknown, index: number): { permissions?: { endpoints: Record<string, string[]> } } {
  const normalized = endpointPermissions(permissions);
  if (normalized === 'invalid')
    throw new KickstartError(
      `apiKeys[${index}]: "permissions" must be {"endpoints": {"/api/…": [methods]}}, each method one of ${KEY_METHODS.join(', ')}`,
    );
  return normalized === undefined ? {} : { permissions: normalized };
}

function checkRequest(value: unknown, index: number): KickstartRequest {
  if (!isObject(value) || typeof value.url !== 'string' || value.url === '')
    throw new KickstartError(`requests[${index}]: each request needs a "url"`);
  const method = (value.method ?? 'POST') as string;
  if (typeof method !== 'string' || !METHODS.includes(method.toUpperCase())) {
    throw new KickstartError(`requests[${index}] (${value.url}): "method" must be POST, PUT or PATCH`);
  }
  return { ...(value as unknown as KickstartRequest), method: method.toUpperCase() as NonNullable<KickstartRequest['method']> };
}
