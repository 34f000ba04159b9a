import { randomUUID } from 'node:crypto';
import { OAuthError } from '../errors.js';
import type { Claims } from '../keys/jwt-signer.js';
import { keyUnusable } from '../keys/key-usability.js';
import { entityView } from '../manage/entities.js';
import type { EntityType, StoredEntity } from '../model/entity.js';
import { isObject, isUuid } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { Standin } from '../standin.js';
import type { PresentedClient } from './client-authentication.js';
import { guardSecretAttempts } from './client-secret-guard.js';
import { constantEquals } from './constant-equals.js';
import { populateClientCredentialsClaims } from './populate-claims.js';
import { param } from './request-params.js';
import type { TokenResponse } from './token-response.js';

/**
 * FusionAuth's client credentials grant (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints,
 * "Client Credentials Grant Request"; the token: https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens,
 * "Client Credentials Access Token"): the client is an entity, authenticated by its `clientId` and `clientSecret`,
 * and `scope` names the target entities it asks access to, space separated, each `target-entity:<id>` or
 * `target-entity:<id>:<permission>,<permission>`. Each target must have granted the entity access (Grant APIs), and
 * every permission asked for must be in that grant ("the recipient entity must have previously been granted all of
 * those permissions"). The token: `sub` the entity, `aud` the target ids (a string for one), `permissions` a map of
 * target id to the permissions asked for, or all the grant's when none were asked, a target with none left out and
 * the claim with it when no target has any; `scope` as asked; `tid`; no refresh or id token.
 */

/** The entity a token request's client id names, when no application has it: the token endpoint takes this path. */
export function entityClientOf(standin: Standin, presented: PresentedClient): StoredEntity | undefined {
  const { clientId } = presented;
  if (clientId === undefined || standin.stores.applications.get(clientId)) return undefined;
  return standin.stores.entities.byClientId(clientId);
}

/** The client credentials grant for `entity`, the client of `presented`. */
export async function entityClientCredentials(
  standin: Standin,
  entity: StoredEntity,
  presented: PresentedClient,
  body: unknown,
): Promise<TokenResponse> {
  guardSecretAttempts(standin, presented, () => {
    authenticateEntity(entity, presented);
  });
  const { stores, jwt, issuerOf } = standin;
  const tenant = stores.tenants.get(entity.tenantId)!;
  const type = stores.entityTypes.get(entity.typeId)!;
  const { keyId, ttl } = keyAndLifetimeOf(standin, tenant, type);
  const scope = param(body, 'scope') ?? '';
  const targets = targetsOf(standin, entity, scope);
  const permissions = Object.fromEntries(targets.filter((target) => target.permissions.length > 0).map(({ id, permissions }) => [id, permissions]));
  const seconds = Math.floor(standin.config.now() / 1000);
  const issued: Claims = {
    ...(targets.length === 0 ? {} : { aud: targets.length === 1 ? targets[0]!.id : targets.map((target) => target.id) }),
    exp: seconds + ttl,
    iat: seconds,
    iss: issuerOf(tenant),
    sub: entity.id,
    jti: randomUUID(),
    ...(Object.keys(permissions).length === 0 ? {} : { permissions }),
    ...(scope === '' ? {} : { scope }),
    tid: tenant.id,
    gty: ['client_credentials'],
  };
  const oauth = isObject(tenant.oauthConfiguration) ? tenant.oauthConfiguration : {};
  // The entities reach the lambda as the Entity API answers them, without their client secrets: a lambda has no use for them.
  const shown = (each: StoredEntity) => {
    const { clientSecret: _secret, ...rest } = entityView(stores, each);
    return rest;
  };
  const claims = await populateClientCredentialsClaims(standin.lambdas, oauth.clientCredentialsAccessTokenPopulateLambdaId, issued, {
    recipientEntity: shown(entity),
    targetEntities: targets.map((target) => shown(stores.entities.get(target.id)!)),
    permissions: Object.fromEntries(targets.map(({ id, permissions: names }) => [id, names])),
  });
  const token = await jwt.sign(keyId, claims);
  // A lambda may have lowered `exp`; the answer says when the token really expires.
  const expiresIn = (claims.exp as number) - seconds;
  return { access_token: token, expires_in: expiresIn, ...(scope === '' ? {} : { scope }), token_type: 'Bearer' };
}

/** A confidential client: the secret is always asked for, and checked in constant time. */
function authenticateEntity(entity: StoredEntity, presented: PresentedClient): void {
  if (presented.secret === undefined) {
    throw new OAuthError(
      'invalid_client',
      'client_authentication_missing',
      'Client authentication missing as Basic Authorization header or credentials in the body (or some combination of them).',
    );
  }
  if (!constantEquals(presented.secret, entity.clientSecret)) {
    throw new OAuthError('invalid_client', 'invalid_client_authentication', 'Invalid client authentication credentials.');
  }
}

/**
 * The key and lifetime of an entity's tokens: its type's `jwtConfiguration` when enabled (Entity Type API), else its
 * tenant's. A key that cannot sign is refused before anything is issued, as for an application.
 */
function keyAndLifetimeOf(standin: Standin, tenant: Tenant, type: EntityType): { keyId: string; ttl: number } {
  const own = type.jwtConfiguration;
  const keyId = own.enabled ? own.accessTokenKeyId : tenant.jwtConfiguration.accessTokenKeyId;
  const ttl = own.enabled ? own.timeToLiveInSeconds : tenant.jwtConfiguration.timeToLiveInSeconds;
  const problem = keyUnusable(standin.stores.keys, keyId, 'access');
  if (problem !== undefined || keyId === undefined) {
    const owner = own.enabled ? `entity type [${type.id}]` : `tenant [${tenant.id}]`;
    throw new OAuthError('unauthorized_client', 'unknown', `The access token signing key of ${owner} cannot sign (${problem ?? 'unset'}).`);
  }
  return { keyId, ttl };
}

interface Target {
  id: string;
  permissions: string[];
}

const PREFIX = 'target-entity:';

/** The targets `scope` asks for, each checked against the grant it made `entity`; FusionAuth's `invalid_scope` otherwise. */
function targetsOf(standin: Standin, entity: StoredEntity, scope: string): Target[] {
  const { stores } = standin;
  const targets = new Map<string, Target>();
  for (const value of scope.split(' ').filter((each) => each !== '')) {
    if (!value.startsWith(PREFIX)) {
      throw invalidTarget(`The scope [${value.slice(0, 128)}] is not a target-entity scope.`);
    }
    const rest = value.slice(PREFIX.length);
    const separator = rest.indexOf(':');
    const id = (separator < 0 ? rest : rest.slice(0, separator)).toLowerCase();
    const asked =
      separator < 0
        ? []
        : rest
            .slice(separator + 1)
            .split(',')
            .filter((name) => name !== '');
    const target = isUuid(id) ? stores.entities.get(id) : undefined;
    // An entity of another tenant, or one that granted nothing to this one, is refused as one that does not exist.
    const grant = target && target.tenantId === entity.tenantId ? stores.entityGrants.find(target.id, { recipientEntityId: entity.id }) : undefined;
    if (!target || !grant) throw invalidTarget(`The target entity [${id.slice(0, 64)}] is invalid or has granted this entity no access.`);
    // The grant's permissions that the target's type still has (a permission deleted from the type is granted no longer).
    const typeNames = new Set(stores.entityTypes.get(target.typeId)!.permissions.map((permission) => permission.name));
    const granted = grant.permissions.filter((name) => typeNames.has(name));
    const missing = asked.filter((name) => !granted.includes(name));
    if (missing.length > 0) {
      throw new OAuthError(
        'invalid_scope',
        'invalid_entity_permission_scope',
        `Invalid target-entity scope. The permission names [${missing.join(', ').slice(0, 256)}] are invalid.`,
      );
    }
    const previous = targets.get(target.id)?.permissions ?? [];
    targets.set(target.id, { id: target.id, permissions: [...new Set([...previous, ...(asked.length === 0 ? granted : asked)])] });
  }
  return [...targets.values()];
}

function invalidTarget(detail: string): OAuthError {
  return new OAuthError('invalid_scope', 'invalid_target_entity_scope', `Invalid target-entity scope. ${detail}`);
}
