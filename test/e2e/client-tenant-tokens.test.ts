import { randomUUID } from 'node:crypto';
import { FusionAuthClient, type UserResponse } from '@fusionauth/typescript-client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { oauthLogin } from '../helpers/e2e-oauth-login.js';
import { settle } from '../helpers/fixtures.js';

// A tenant-bound API key stays in its tenant, and a vended JWT is not a login (docs/hardening-tokens.md):
// the attack through the clients an attacker would use, @fusionauth/typescript-client and openid-client.
const GLOBAL_KEY = 'tenant-tokens-global-key-0123456789abcdef';
const B_KEY = 'tenant-tokens-b-bound-key-0123456789abcdef';
const TENANT_A = 'a0000000-0000-4000-8000-00000000000a';
const TENANT_B = 'b0000000-0000-4000-8000-00000000000b';
const KEY_B = 'b0000000-0000-4000-8000-0000000000cb';
const APP_A = 'a0000000-0000-4000-8000-0000000000aa';
const APP_A_SECRET = 'app-a-secret-0123456789abcdefghijklmnop';
const APP_B = 'b0000000-0000-4000-8000-0000000000bb';
const USER_A = 'a0000000-0000-4000-8000-0000000000e1';
const USER_B = 'b0000000-0000-4000-8000-0000000000e2';
const CALLBACK = 'http://localhost:3000/callback';
const ALICE = { loginId: 'alice@a.example', password: 'password-a' };

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT_A },
    apiKeys: [{ key: GLOBAL_KEY }, { key: B_KEY, tenantId: TENANT_B, description: 'tenant B only' }],
    requests: [
      { url: `/api/key/generate/${KEY_B}`, body: { key: { algorithm: 'RS256', name: 'Tenant B key' } } },
      { url: `/api/tenant/${TENANT_B}`, body: { tenant: { name: 'B', jwtConfiguration: { accessTokenKeyId: KEY_B, idTokenKeyId: KEY_B } } } },
      {
        url: `/api/application/${APP_A}`,
        tenantId: TENANT_A,
        body: {
          application: {
            name: 'A',
            roles: [{ name: 'user', isDefault: true }],
            oauthConfiguration: {
              authorizedRedirectURLs: [CALLBACK],
              clientSecret: APP_A_SECRET,
              enabledGrants: ['authorization_code', 'refresh_token'],
              generateRefreshTokens: true,
            },
          },
        },
      },
      {
        url: `/api/application/${APP_B}`,
        tenantId: TENANT_B,
        body: { application: { name: 'B app', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } } },
      },
      {
        url: `/api/user/registration/${USER_A}`,
        tenantId: TENANT_A,
        body: { user: { email: ALICE.loginId, password: ALICE.password }, registration: { applicationId: APP_A } },
      },
      {
        url: `/api/user/registration/${USER_B}`,
        tenantId: TENANT_B,
        body: { user: { email: 'bob@b.example', password: 'password-b' }, registration: { applicationId: APP_B } },
      },
    ],
  },
});
t.teardown(() => standin.close());

const admin = new FusionAuthClient(GLOBAL_KEY, standin.url);
// With two tenants, a global key names the one it vends in (its TTL default comes from there).
const adminInA = new FusionAuthClient(GLOBAL_KEY, standin.url).setTenantId(TENANT_A);
const bound = new FusionAuthClient(B_KEY, standin.url).setTenantId(TENANT_B);
const KEY_A = (await admin.retrieveTenant(TENANT_A)).response.tenant!.jwtConfiguration!.accessTokenKeyId!;
const appA = await oidc.discovery(new URL(standin.url), APP_A, APP_A_SECRET, undefined, { execute: [oidc.allowInsecureRequests] });

/** What an access token of Alice's at application A carries, so that every check on its claims passes. */
const ATTACK_CLAIMS = {
  sub: USER_A,
  aud: APP_A,
  tid: TENANT_A,
  iss: standin.issuer,
  jti: randomUUID(),
  applicationId: APP_A,
  roles: ['user'],
  scope: 'openid email',
  gty: ['authorization_code'],
  authenticationType: 'PASSWORD',
};

/** Each endpoint that takes a user's access token, through the client its users call it with: true if it took it. */
async function acceptedBy(token: string): Promise<Record<string, boolean>> {
  const userinfo = await oidc.fetchUserInfo(appA, token, USER_A).then(
    () => true,
    () => false,
  );
  // retrieveUserUsingJWT left @fusionauth/typescript-client 1.69; its request, built with the client's own builder.
  const apiUser = await settle(
    admin.clientBuilder.build<UserResponse, unknown>(standin.url).withUri('/api/user').withAuthorization(`Bearer ${token}`).withMethod('GET').go(),
  );
  const me = await fetch(`${standin.url}/app/me`, { headers: { cookie: `app.at=${token}` } });
  const introspected = await oidc.tokenIntrospection(appA, token);
  const issued = await settle(new FusionAuthClient('', standin.url).issueJWT(APP_A, token, undefined as never));
  return {
    'GET /oauth2/userinfo (openid-client fetchUserInfo)': userinfo,
    'GET /api/user (Bearer)': apiUser.statusCode === 200,
    'GET /app/me': me.status === 200,
    'POST /oauth2/introspect (openid-client, app A credentials)': introspected.active,
    'GET /api/jwt/issue (issueJWT)': issued.statusCode === 200 || issued.statusCode === 202,
  };
}

async function validates(token: string): Promise<boolean> {
  return (await settle(admin.validateJWT(token))).statusCode === 200;
}

t.test('a key bound to tenant B vends only with its tenant’s keys and for its tenant', async (t) => {
  const attack = await settle(bound.vendJWT({ keyId: KEY_A, claims: ATTACK_CLAIMS }));
  t.equal(attack.statusCode, 400, "tenant A's signing key: refused");
  t.ok(attack.exception?.fieldErrors?.keyId, 'fieldErrors.keyId', { found: attack.exception });
  if (attack.statusCode === 200) {
    // Today's hole: the vended token is Alice's login everywhere. Say where, so the failure reads as the attack.
    const token = (attack.response as { token: string }).token;
    t.same(await acceptedBy(token), {}, 'the token vended with the bound key is a login nowhere');
    t.notOk(await validates(token), 'nor does /api/jwt/validate take it');
  }

  for (const [name, claims, field] of [
    ['tid of tenant A', { tid: TENANT_A }, 'claims.tid'],
    ['sub of a user of tenant A', { sub: USER_A }, 'claims.sub'],
    ['aud of an application of tenant A', { aud: APP_A }, 'claims.aud'],
    ['aud list holding an application of tenant A', { aud: ['api', APP_A] }, 'claims.aud'],
    ['applicationId of tenant A', { applicationId: APP_A }, 'claims.applicationId'],
  ] as const) {
    for (const keyId of [KEY_B, undefined]) {
      const answer = await settle(bound.vendJWT({ ...(keyId ? { keyId } : {}), claims }));
      t.equal(answer.statusCode, 400, `${name}, ${keyId ? "tenant B's key" : 'the default key'}: refused`);
      t.ok(answer.exception?.fieldErrors?.[field], `fieldErrors.${field}`, { found: answer.exception });
    }
  }
  const asTenantA = await settle(new FusionAuthClient(B_KEY, standin.url).setTenantId(TENANT_A).vendJWT({ claims: { sub: 'x' } }));
  t.equal(asTenantA.statusCode, 401, 'naming tenant A with the bound key: 401');
});

t.test('a token vended with a key that is not the access-token key of its tenant is nobody’s access token', async (t) => {
  // The same claims vended by the global key, but signed with tenant B's key: not how tenant A signs access tokens.
  const vended = await adminInA.vendJWT({ keyId: KEY_B, claims: { ...ATTACK_CLAIMS, jti: randomUUID() } });
  const token = vended.response.token!;
  t.same(
    Object.entries(await acceptedBy(token)).filter(([, accepted]) => accepted),
    [],
    'refused by every endpoint that takes an access token',
  );
  t.notOk(await validates(token), '/api/jwt/validate refuses it too (RFC 8725 §3.12)');
});

t.test('a vended token is not a login, even with the right key; /api/jwt/validate still takes it', async (t) => {
  const vended = await adminInA.vendJWT({ keyId: KEY_A, claims: { ...ATTACK_CLAIMS, jti: randomUUID() } });
  const token = vended.response.token!;
  t.same(
    Object.entries(await acceptedBy(token)).filter(([, accepted]) => accepted),
    [],
    'userinfo, /api/user, /app/me, introspect and /api/jwt/issue refuse it: no login, no session behind it',
  );
  t.ok(await validates(token), '/api/jwt/validate takes it (FusionAuth JWT API, "Vend a JWT")');
});

t.test('legitimate: the bound key vends in its own tenant; a real login still works everywhere', async (t) => {
  const own = await bound.vendJWT({ claims: { sub: USER_B, aud: APP_B, tid: TENANT_B, role: 'batch' }, timeToLiveInSeconds: 60 });
  t.equal(own.statusCode, 200);
  const token = own.response.token!;
  t.equal(decodeProtectedHeader(token).kid, (await admin.retrieveKey(KEY_B)).response.key!.kid, "signed with tenant B's access-token key");
  t.match(decodeJwt(token), { sub: USER_B, aud: APP_B, tid: TENANT_B, role: 'batch' });
  t.ok(await validates(token), 'validates');
  t.equal((await bound.vendJWT({ keyId: KEY_B, claims: { sub: 'service-account' } })).statusCode, 200, "tenant B's key by id");

  const tokens = await oauthLogin({ url: standin.url, clientId: APP_A, clientSecret: APP_A_SECRET, redirectUri: CALLBACK }, ALICE, 'openid email');
  t.same(await acceptedBy(tokens.access_token), {
    'GET /oauth2/userinfo (openid-client fetchUserInfo)': true,
    'GET /api/user (Bearer)': true,
    'GET /app/me': true,
    'POST /oauth2/introspect (openid-client, app A credentials)': true,
    'GET /api/jwt/issue (issueJWT)': true,
  });
  t.ok(await validates(tokens.access_token), 'validates');
  const login = await admin.login({ loginId: ALICE.loginId, password: ALICE.password, applicationId: APP_A });
  t.equal(
    (await settle(new FusionAuthClient('', standin.url).issueJWT(APP_A, login.response.token!, undefined as never))).statusCode,
    200,
    'a Login API JWT is exchanged at /api/jwt/issue',
  );
  const scopedToB = new FusionAuthClient('', standin.url).setTenantId(TENANT_B);
  t.equal(
    (await settle(scopedToB.issueJWT(APP_A, login.response.token!, undefined as never))).statusCode,
    401,
    'but not in a request scoped to tenant B',
  );
});

t.test('RP-initiated logout through openid-client: client_id and the hint agree, and an access token is no hint', async (t) => {
  const tokens = await oauthLogin({ url: standin.url, clientId: APP_A, clientSecret: APP_A_SECRET, redirectUri: CALLBACK }, ALICE, 'openid email');
  const appB = await oidc.discovery(new URL(standin.url), APP_B, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  const endSession = (config: oidc.Configuration, params: Record<string, string>) =>
    fetch(oidc.buildEndSessionUrl(config, params), { redirect: 'manual' });

  // Application B's client_id with application A's id token: the OP cannot tell which client asks (OpenID
  // RP-Initiated Logout 1.0 §2), so no redirect to B's URI.
  const mismatch = await endSession(appB, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: CALLBACK });
  t.equal(mismatch.status, 400, 'client_id of B, hint of A: an error page');
  t.equal(mismatch.headers.get('location'), null, 'no redirect');
  t.match(await mismatch.text(), 'client_id_mismatch');

  const accessAsHint = await endSession(appA, { id_token_hint: tokens.access_token, post_logout_redirect_uri: CALLBACK });
  t.equal(accessAsHint.status, 400, 'an access token as id_token_hint: an error page');
  t.equal(accessAsHint.headers.get('location'), null, 'no redirect');
  t.match(await accessAsHint.text(), 'invalid_id_token_hint');

  const legitimate = await endSession(appA, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: CALLBACK, state: 'bye' });
  t.equal(legitimate.status, 302, "A's client_id with A's id token: logged out");
  t.equal(legitimate.headers.get('location'), `${CALLBACK}?state=bye`);
});
