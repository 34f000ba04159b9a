import { randomUUID } from 'node:crypto';
import { OAuthError } from '../../errors.js';
import { scopesOf } from '../claims.js';
import { requireClientAuthentication } from '../client-authentication.js';
import { DEVICE_CODE_GRANT } from '../device-authorization.js';
import { newRefreshToken } from '../refresh-rules.js';
import { param } from '../request-params.js';
import { signingOf, signTokens } from '../sign-tokens.js';
import { requireSignableGrant } from '../signing-keys.js';
import { loadSubjectParts } from '../subject-parts.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';
import type { GrantContext } from './grant.js';

/**
 * RFC 8628 §3.4, the Device Access Token Request (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints,
 * "Complete the Device Authorization Grant Request"): the device polls with its `device_code` until a user approves it
 * (docs/device-grant.md). Pending: `authorization_pending`; past its expiry: `expired_token`; approved by a user who
 * may no longer log in to the application: `access_denied`; approved: the tokens, once, as the other grants mint them.
 * FusionAuth's list of OAuth errors has no `slow_down`, so a device that polls faster than `interval` is not told to.
 */
export const grantType = DEVICE_CODE_GRANT;

export async function handle(context: GrantContext): Promise<TokenResponse> {
  const { client, standin } = context;
  const { stores } = standin;
  const now = standin.config.now();
  const deviceCode = param(context.body, 'device_code');
  if (deviceCode === undefined) {
    throw new OAuthError('invalid_request', 'missing_device_code', 'The request is missing a required parameter: device_code');
  }
  // As the password and refresh grants: the application's clientAuthenticationPolicy; a device that cannot keep a
  // secret belongs to an application with `NotRequired`.
  requireClientAuthentication(client, false);
  const issued = stores.db.transaction(() => redeem(context, deviceCode, now)).immediate();
  if ('error' in issued) throw issued.error;

  const { parts, scope, approval, refresh } = issued;
  const facts = {
    scope,
    authTime: Math.floor(approval.authTime / 1000),
    authenticationType: approval.authenticationType,
    grantTypes: [grantType],
    refreshTokenId: refresh?.token.id,
    ssoSessionId: approval.ssoSessionId,
  };
  const { access, idToken } = await signTokens(signingOf(standin, now), parts, facts, { jti: randomUUID() });
  const refreshToken = refresh ? { value: refresh.value, id: refresh.token.id } : undefined;
  return tokenResponse({ access, idToken, refreshToken, scope, userId: parts.user.id });
}

/**
 * The transaction: where the code stands, and for an approved one, its single redemption and the refresh token it
 * issues. What it returns is committed (a denial uses the code up); what it throws is rolled back.
 */
function redeem({ client, standin: { stores } }: GrantContext, deviceCode: string, now: number) {
  const poll = stores.deviceCodes.poll(deviceCode, now);
  // A code of another client is as unknown as a made-up one (RFC 8628 §3.5 leaves this to RFC 6749 §5.2).
  if (poll.state === 'unknown' || poll.grant.applicationId !== client.application.id) {
    throw new OAuthError('invalid_request', 'invalid_device_code', 'The device_code is invalid, or its tokens were issued already.');
  }
  if (poll.state === 'expired')
    throw new OAuthError('expired_token', 'unknown', 'The device_code has expired; start the device authorization again.');
  if (poll.state === 'pending') throw new OAuthError('authorization_pending', 'unknown', 'The user has not approved this device yet.');
  const { grant, approval } = poll;
  if (!stores.deviceCodes.consume(deviceCode, now)) {
    throw new OAuthError('invalid_request', 'invalid_device_code', 'The device_code is invalid, or its tokens were issued already.');
  }
  const parts = loadSubjectParts(stores, grant.applicationId, approval.userId, now);
  // The code is used up either way: a user who was deactivated, expired or unregistered since approving gets nothing.
  if (!parts || (!parts.registration && parts.application.oauthConfiguration.requireRegistration)) {
    return { error: new OAuthError('access_denied', 'unknown', 'The user who approved this device may no longer log in to this application.') };
  }
  // Thrown from the transaction: it rolls back, so the code is not used up by a grant no key can sign.
  requireSignableGrant(stores, parts.tenant, parts.application, grant.scope);
  // OIDC Core §11, FusionAuth Tokens docs: a refresh token only with offline_access and generateRefreshTokens.
  const refresh =
    scopesOf(grant.scope).has('offline_access') && parts.application.oauthConfiguration.generateRefreshTokens
      ? newRefreshToken(
          parts,
          {
            scope: grant.scope,
            authTime: approval.authTime,
            authenticationType: approval.authenticationType,
            ...(approval.ssoSessionId === undefined ? {} : { ssoSessionId: approval.ssoSessionId }),
            grants: [grantType],
          },
          now,
        )
      : undefined;
  if (refresh) {
    refresh.token.metaData = { ...refresh.token.metaData, device: grant.deviceInfo };
    stores.refreshTokens.insert(refresh.token, refresh.value);
  }
  return { parts, scope: grant.scope, approval, refresh };
}
