import { createHash } from 'node:crypto';
import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { StandinApp } from '../../src/app.js';
import type { CodeGrant } from '../../src/store/authorization-codes.js';
import { newSecret } from '../../src/store/secrets.js';
import { buildEmptyApp, testKickstart } from './build.js';
import { APP, OTHER_APP, OTHER_SECRET, REDIRECT, SECRET, SSO_SESSION, T0, TENANT_ID, UNREGISTERED_USER, USER } from './constants.js';

export interface TokenAppOptions {
  /** Milliseconds; a closure over a variable lets a test move time. */
  now?: () => number;
  oauth?: Record<string, unknown>;
  jwt?: Record<string, unknown>;
  tenant?: Record<string, unknown>;
}

/**
 * A Standin with APP (confidential, both grants, refresh tokens, options applied) and OTHER_APP, USER
 * registered to APP with role `user`, and UNREGISTERED_USER registered nowhere.
 */
export async function buildGrantApp(t: Test, options: TokenAppOptions = {}): Promise<StandinApp> {
  const application = (id: string, name: string, secret: string, oauth: Record<string, unknown> = {}, jwt?: Record<string, unknown>) => ({
    url: `/api/application/${id}`,
    body: {
      application: {
        name,
        roles: [{ name: 'user', isDefault: true }, { name: 'admin' }],
        oauthConfiguration: {
          authorizedRedirectURLs: [REDIRECT],
          clientSecret: secret,
          enabledGrants: ['authorization_code', 'refresh_token'],
          generateRefreshTokens: true,
          ...oauth,
        },
        ...(jwt ? { jwtConfiguration: { enabled: true, ...jwt } } : {}),
      },
    },
  });
  return buildEmptyApp(t, {
    ...(options.now ? { now: options.now } : {}),
    kickstart: testKickstart([
      ...(options.tenant ? [{ method: 'PATCH' as const, url: `/api/tenant/${TENANT_ID}`, body: { tenant: options.tenant } }] : []),
      application(APP, 'store', SECRET, options.oauth, options.jwt),
      application(OTHER_APP, 'forums', OTHER_SECRET),
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'richard@example.com', password: 'password1' }, registration: { applicationId: APP } },
      },
      { url: `/api/user/${UNREGISTERED_USER}`, body: { user: { email: 'monica@example.com', password: 'password1' } } },
    ]),
  });
}

/** Stores a code as the authorize endpoint would, living the tenant's authorizationGrantIdTimeToLiveInSeconds. */
export function issueCode(app: StandinApp, grant: Partial<CodeGrant> = {}): string {
  const { stores, config } = app.standin;
  const now = config.now();
  const ttl = stores.tenants.get(TENANT_ID)!.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds;
  const code = newSecret();
  const full: CodeGrant = {
    applicationId: APP,
    userId: USER,
    redirectUri: REDIRECT,
    scope: 'openid offline_access',
    nonce: 'nonce-123',
    ssoSessionId: SSO_SESSION,
    authTime: now - 5000,
    authenticationType: 'PASSWORD',
    ...grant,
  };
  stores.authorizationCodes.insert(code, full, now + ttl * 1000);
  return code;
}

export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function basic(id: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` };
}

export function formBody(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const one of [value].flat()) params.append(name, one);
  return params.toString();
}

export function postToken(
  app: StandinApp,
  form: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: formBody(form),
  });
}

/** An authorization code exchange by APP with its secret in the body. */
export function exchange(app: StandinApp, code: string, extra: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return postToken(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: APP, client_secret: SECRET, ...extra });
}

export function refresh(app: StandinApp, refreshToken: string, extra: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return postToken(app, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: APP, client_secret: SECRET, ...extra });
}

/** An OAuth error as FusionAuth sends it: status, JSON `{error, error_description, error_reason}`, no-store. */
export function assertOAuthError(t: Test, response: LightMyRequestResponse, status: number, error: string, reason?: string): void {
  t.equal(response.statusCode, status, `status ${status}`);
  t.match(response.headers['content-type'], /^application\/json/);
  t.equal(response.headers['cache-control'], 'no-store');
  const body = response.json();
  t.equal(body.error, error, `error ${error}`);
  if (reason !== undefined) t.equal(body.error_reason, reason, `error_reason ${reason}`);
  t.type(body.error_description, 'string');
  t.notOk('access_token' in body, 'no token');
}

/** Verifies a JWT against the published JWKS, at the app's clock, and returns its claims and header. */
export async function verifyJwt(app: StandinApp, token: string, audience = APP): Promise<{ claims: JWTPayload & Record<string, any>; kid: string }> {
  const jwks = createLocalJWKSet((await app.inject('/.well-known/jwks.json')).json());
  const { payload } = await jwtVerify(token, jwks, { issuer: 'http://localhost:9011', audience, currentDate: new Date(app.standin.config.now()) });
  return { claims: payload as JWTPayload & Record<string, any>, kid: decodeProtectedHeader(token).kid! };
}

/** A clock tests can move: `clock.now` for build options, `clock.advance(ms)`. */
export function movableClock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}
