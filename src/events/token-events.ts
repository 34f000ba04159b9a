import type { JsonObject } from '../model/json.js';
import { jwtConfigurationOf } from '../oauth/jwt-configuration.js';
import type { Stores } from '../store/index.js';
import type { RefreshToken } from '../store/refresh-tokens.js';
import type { EventInput } from './emit.js';
import { userEvent } from './payloads.js';

/** What a revocation acts on: one token, a user's tokens (of one application or all), or an application's. */
export type RevokeScope = { token: RefreshToken } | { userId: string; applicationId?: string } | { applicationId: string };

/**
 * `jwt.refresh-token.revoke` (https://fusionauth.io/docs/extend/events-and-webhooks/events/jwt-refresh-token-revoke):
 * `applicationTimeToLiveInSeconds` says, per application, how long its access tokens may still be presented;
 * `applicationId` when one application is meant, `userId` and `user` when one user is, `refreshToken` when one
 * token is. A user's tokens yield an event only when there is at least one to revoke. Built before the delete.
 */
export function refreshTokenRevokeEvent(stores: Stores, scope: RevokeScope): EventInput | undefined {
  if ('token' in scope) return fromTokens(stores, [scope.token], { applicationId: scope.token.applicationId, refreshToken: tokenJson(scope.token) });
  if ('userId' in scope) {
    const tokens = stores.refreshTokens
      .ofUser(scope.userId)
      .filter((token) => scope.applicationId === undefined || token.applicationId === scope.applicationId);
    return fromTokens(stores, tokens, scope.applicationId === undefined ? {} : { applicationId: scope.applicationId });
  }
  const application = stores.applications.get(scope.applicationId);
  const tenant = application ? stores.tenants.get(application.tenantId) : undefined;
  if (!application || !tenant) return undefined;
  return {
    type: 'jwt.refresh-token.revoke',
    tenantId: tenant.id,
    applicationId: application.id,
    applicationTimeToLiveInSeconds: { [application.id]: jwtConfigurationOf(application, tenant).timeToLiveInSeconds },
  };
}

function fromTokens(stores: Stores, tokens: RefreshToken[], extra: JsonObject): EventInput | undefined {
  const first = tokens[0];
  const user = first ? stores.users.get(first.userId) : undefined;
  const tenant = first ? stores.tenants.get(first.tenantId) : undefined;
  if (!first || !user || !tenant) return undefined;
  const ttl: Record<string, number> = {};
  for (const token of tokens) {
    const application = stores.applications.get(token.applicationId);
    if (application) ttl[application.id] = jwtConfigurationOf(application, tenant).timeToLiveInSeconds;
  }
  return userEvent(stores, 'jwt.refresh-token.revoke', user, { userId: user.id, applicationTimeToLiveInSeconds: ttl, ...extra });
}

/** The revoked token as the JWT API lists one, without its value. */
function tokenJson(token: RefreshToken): JsonObject {
  return {
    id: token.id,
    applicationId: token.applicationId,
    userId: token.userId,
    tenantId: token.tenantId,
    insertInstant: token.insertInstant,
    startInstant: token.startInstant,
  };
}

/**
 * `jwt.refresh` (https://fusionauth.io/docs/extend/events-and-webhooks/events/jwt-refresh): the new access token,
 * the refresh token used, and `original`, the access token the refresh request carried, when it carried one.
 */
export function jwtRefreshEvent(token: RefreshToken, refreshToken: string, accessToken: string, original?: string): EventInput {
  return {
    type: 'jwt.refresh',
    tenantId: token.tenantId,
    linkedObjectId: token.id,
    applicationId: token.applicationId,
    userId: token.userId,
    refreshToken,
    token: accessToken,
    ...(original === undefined ? {} : { original }),
  };
}
