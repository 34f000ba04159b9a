import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import type { TokenSubject } from '../../src/oauth/claims.js';
import { mintAccessToken, mintIdToken, type MintedAccessToken } from '../../src/oauth/mint-tokens.js';
import type { RefreshToken } from '../../src/store/refresh-tokens.js';
import type { SsoSession } from '../../src/store/sso-sessions.js';
import { newSecret } from '../../src/store/secrets.js';
import { buildEmptyApp, testKickstart } from './build.js';
import { FORUMS_APP, MONICA_ID, RICHARD_ID, RICHARD_LOGIN, STORE_APP, STORE_SECRET, T0, TENANT_ID } from './constants.js';

/**
 * A Standin with two applications (store: Strict, forums: Compatibility, each with a logout URL) and two users
 * registered to both, for tests that need tokens without running a login.
 */
export async function buildMintedTokenApp(t: Test, options: { now?: () => number } = {}): Promise<StandinApp> {
  const application = (id: string, name: string, extra: Record<string, unknown>) => ({
    url: `/api/application/${id}`,
    body: {
      application: {
        name,
        roles: [{ name: 'user', isDefault: true }, { name: 'admin' }],
        oauthConfiguration: {
          authorizedRedirectURLs: [`https://${name}.example.com/callback`, 'http://localhost:3000/logged-out'],
          logoutURL: `https://${name}.example.com/bye`,
          ...extra,
        },
      },
    },
  });
  const user = (id: string, email: string, firstName: string) => ({
    url: `/api/user/registration/${id}`,
    body: {
      user: { email, password: RICHARD_LOGIN.password, firstName, lastName: 'Hendricks', username: firstName.toLowerCase() },
      registration: { applicationId: STORE_APP },
    },
  });
  return buildEmptyApp(t, {
    ...(options.now ? { now: options.now } : {}),
    kickstart: testKickstart([
      application(STORE_APP, 'store', { clientSecret: STORE_SECRET }),
      application(FORUMS_APP, 'forums', { scopeHandlingPolicy: 'Compatibility' }),
      user(RICHARD_ID, RICHARD_LOGIN.loginId, 'Richard'),
      user(MONICA_ID, 'monica@example.com', 'Monica'),
      { url: `/api/user/registration/${RICHARD_ID}`, body: { registration: { applicationId: FORUMS_APP, roles: ['admin'] } } },
    ]),
  });
}

function subject(app: StandinApp, applicationId: string, userId: string, scope: string, extra: Partial<TokenSubject> = {}): TokenSubject {
  const { stores } = app.standin;
  const application = stores.applications.get(applicationId)!;
  const registration = stores.registrations.get(userId, applicationId);
  return {
    application,
    user: stores.users.get(userId)!,
    ...(registration ? { registration } : {}),
    groupRoleIds: [],
    tenantId: application.tenantId,
    issuer: app.standin.issuerOf(stores.tenants.get(application.tenantId)!),
    scope,
    authTime: Math.floor(app.standin.config.now() / 1000),
    authenticationType: 'PASSWORD',
    grantTypes: ['authorization_code'],
    ...extra,
  };
}

function minting(app: StandinApp) {
  const { jwt, stores, config } = app.standin;
  return {
    jwt,
    keys: stores.keys,
    tenant: stores.tenants.get(TENANT_ID)!,
    nowSeconds: Math.floor(config.now() / 1000),
    lambdas: app.standin.lambdas,
  };
}

/** An access token as the token endpoint would issue it, signed at the app's current time. */
export async function accessToken(
  app: StandinApp,
  applicationId: string,
  userId: string,
  scope = 'openid email profile offline_access',
  ttl?: number,
): Promise<MintedAccessToken> {
  return mintAccessToken(minting(app), subject(app, applicationId, userId, scope), ttl);
}

/** An id token for the same subject. */
export async function idToken(
  app: StandinApp,
  applicationId: string,
  userId: string,
  scope = 'openid email profile',
  extra: Partial<TokenSubject> = {},
): Promise<string> {
  return mintIdToken(minting(app), subject(app, applicationId, userId, scope, extra), { accessToken: 'unused' });
}

/** Stores a refresh token directly and returns its value. */
export function insertRefreshToken(
  app: StandinApp,
  applicationId: string,
  userId: string,
  extra: Partial<RefreshToken> = {},
): { id: string; value: string } {
  const value = newSecret();
  const token: RefreshToken = {
    id: randomUUID(),
    userId,
    applicationId,
    tenantId: TENANT_ID,
    startInstant: T0,
    insertInstant: T0,
    lastUsed: T0,
    expiresAt: T0 + 30 * 24 * 3600 * 1000,
    scope: 'openid offline_access',
    authTime: Math.floor(T0 / 1000),
    authenticationType: 'PASSWORD',
    metaData: { device: { name: 'Test browser', type: 'BROWSER' } },
    ...extra,
  };
  app.standin.stores.refreshTokens.insert(token, value);
  return { id: token.id, value };
}

/** Stores an SSO session directly and returns its id and cookie value. */
export function insertSsoSession(app: StandinApp, userId: string, extra: Partial<SsoSession> = {}): { id: string; cookie: string } {
  const session: SsoSession = { id: randomUUID(), userId, tenantId: TENANT_ID, authTime: T0, lastUsed: T0, persistent: true, ...extra };
  const cookie = newSecret();
  app.standin.stores.ssoSessions.insert(session, cookie);
  return { id: session.id, cookie };
}
