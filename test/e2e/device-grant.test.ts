import { FusionAuthClient, SecureGeneratorType } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';

// The Device Authorization Grant (RFC 8628; https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints,
// "Device") driven by openid-client, as a TV app or a CLI would run it, and by FusionAuth's own client for the
// endpoints a login page of one's own calls (validate, user-code, approve). Errors through raw HTTP.
const API_KEY = 'device-grant-api-key-0123456789abcdef';
const TENANT = 'd0000000-0000-4000-8000-0000000000d0';
const TV = 'd0000000-0000-4000-8000-0000000000a1';
const NO_GRANT = 'd0000000-0000-4000-8000-0000000000a2';
const NO_URL = 'd0000000-0000-4000-8000-0000000000a3';
const OTHER_TENANT = 'd0000000-0000-4000-8000-0000000000d1';
const OTHER_TENANT_KEY = 'device-grant-other-tenant-key-0123456789';
const USER = 'd0000000-0000-4000-8000-0000000000b1';
const SECRET = 'device-grant-secret-0123456789abcdefgh';
const EMAIL = 'dinesh@example.com';
const PASSWORD = 'password-dinesh-1';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const VERIFY = 'https://tv.example.com/activate';

const application = (id: string, name: string, oauthConfiguration: Record<string, unknown>) => ({
  url: `/api/application/${id}`,
  body: { application: { name, oauthConfiguration: { clientSecret: SECRET, generateRefreshTokens: true, ...oauthConfiguration } } },
});
const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }, { key: OTHER_TENANT_KEY, tenantId: OTHER_TENANT }],
    requests: [
      application(TV, 'TV', { enabledGrants: [DEVICE_GRANT, 'refresh_token', 'password'], deviceVerificationURL: VERIFY }),
      application(NO_GRANT, 'No device grant', { enabledGrants: ['authorization_code'], deviceVerificationURL: VERIFY }),
      application(NO_URL, 'No verification URL', { enabledGrants: [DEVICE_GRANT] }),
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: EMAIL, password: PASSWORD, firstName: 'Dinesh' }, registration: { applicationId: TV } },
      },
      // Last: with two tenants, each later request would have to name its tenant.
      { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    ],
  },
});
t.teardown(() => standin.close());
const fusionauth = new FusionAuthClient(API_KEY, standin.url, TENANT);
const configure = (clientId = TV) => oidc.discovery(new URL(standin.url), clientId, SECRET, undefined, { execute: [oidc.allowInsecureRequests] });

async function post(path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const response = await fetch(`${standin.url}${path}`, { method: 'POST', body: new URLSearchParams(form) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}
const poll = (deviceCode: string, clientId = TV) =>
  post('/oauth2/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId, client_secret: SECRET });
const start = (form: Record<string, string> = {}) => post('/oauth2/device_authorize', { client_id: TV, scope: 'openid offline_access', ...form });
async function userAccessToken(): Promise<string> {
  const tokens = await post('/oauth2/token', { grant_type: 'password', client_id: TV, client_secret: SECRET, username: EMAIL, password: PASSWORD });
  return tokens.body!.access_token as string;
}

t.test('discovery names the device authorization endpoint and the grant (RFC 8628 §4)', async (t) => {
  const metadata = (await configure()).serverMetadata();
  t.equal(metadata.device_authorization_endpoint, `${standin.url}/oauth2/device_authorize`);
  t.ok(metadata.grant_types_supported?.includes(DEVICE_GRANT));
});

t.test('openid-client: device authorization, pending, approval, then the tokens once', async (t) => {
  const config = await configure();
  const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid offline_access', 'metaData.device.name': 'Living room TV' });
  t.match(started, { expires_in: 300, interval: 5, verification_uri: VERIFY });
  t.match(started.user_code, /^[A-Z0-9]{6}$/, "FusionAuth's default deviceUserCodeIdGenerator: 6 of A-Z0-9");
  t.equal(started.verification_uri_complete, `${VERIFY}?user_code=${started.user_code}`);
  t.ok(started.device_code.length >= 43, 'a device code as long as the other bearer secrets');

  t.match(await poll(started.device_code), { status: 400, body: { error: 'authorization_pending' } }, 'not approved yet');

  t.equal((await fusionauth.validateDevice(started.user_code, TV)).statusCode, 200, 'validate: 200, no body');
  const info = await fusionauth.retrieveUserCodeWithRequest({ client_id: TV, client_secret: SECRET, user_code: started.user_code });
  t.match(info.response, {
    client_id: TV,
    deviceInfo: { name: 'Living room TV' },
    expires_in: 300,
    scope: '',
    tenantId: TENANT,
    user_code: started.user_code,
  });

  const approved = await fusionauth.approveDevice(TV, SECRET, await userAccessToken(), started.user_code.toLowerCase());
  t.same(approved.response, { deviceGrantStatus: 'Approved', deviceInfo: { name: 'Living room TV' }, tenantId: TENANT, userId: USER });
  t.match(
    await fusionauth.validateDevice(started.user_code, TV).catch((error: unknown) => error),
    { statusCode: 400 },
    'an approved code is no longer valid for another login',
  );

  const tokens = await oidc.pollDeviceAuthorizationGrant(config, started);
  t.ok(tokens.refresh_token, 'offline_access: a refresh token');
  t.equal(tokens.claims()?.sub, USER, 'openid: an id token openid-client has checked');
  const jwks = createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(tokens.access_token, jwks);
  t.match(payload, { sub: USER, aud: TV, applicationId: TV, gty: [DEVICE_GRANT], scope: 'openid offline_access' });
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
  t.ok(refreshed.access_token, 'the refresh token works');
  const stored = await fusionauth.retrieveRefreshTokens(USER);
  t.ok(
    stored.response.refreshTokens?.some((token) => token.metaData?.device?.name === 'Living room TV'),
    "the refresh token carries the device's name",
  );

  t.match(await poll(started.device_code), { status: 400, body: { error: 'invalid_request', error_reason: 'invalid_device_code' } }, 'used once');
});

t.test("the device grant is refused to an application that does not enable it or has no verification URL (FusionAuth's errors)", async (t) => {
  t.match(await post('/oauth2/device_authorize', { client_id: NO_GRANT }), {
    status: 400,
    body: { error: 'unauthorized_client', error_reason: 'grant_type_disabled' },
  });
  t.match(await post('/oauth2/device_authorize', { client_id: NO_URL }), {
    status: 400,
    body: { error: 'invalid_request', error_reason: 'missing_verification_uri' },
  });
  t.match(await post('/oauth2/device_authorize', { client_id: TV, client_secret: 'wrong' }), {
    status: 401,
    body: { error: 'invalid_client', error_reason: 'invalid_client_authentication' },
  });
  t.match(await post('/oauth2/device_authorize', { client_id: TV, scope: 'idp-link:x:y' }), { status: 400, body: { error: 'invalid_scope' } });
  const started = (await start()).body!;
  t.match(await poll(started.device_code as string, NO_GRANT), {
    status: 400,
    body: { error: 'unauthorized_client', error_reason: 'grant_type_disabled' },
  });
});

t.test('polling errors: a missing, unknown, or expired device code', async (t) => {
  t.match(await post('/oauth2/token', { grant_type: DEVICE_GRANT, client_id: TV, client_secret: SECRET }), {
    status: 400,
    body: { error: 'invalid_request', error_reason: 'missing_device_code' },
  });
  t.match(await poll('not-a-device-code'), { status: 400, body: { error: 'invalid_request', error_reason: 'invalid_device_code' } });
  t.match(await post('/oauth2/token', { grant_type: DEVICE_GRANT, client_id: TV, device_code: 'x' }), {
    status: 401,
    body: { error: 'invalid_client', error_reason: 'client_authentication_missing' },
  });

  const started = (await start()).body!;
  standin.clock.advance(301);
  t.teardown(() => {
    standin.clock.reset();
  });
  t.match(await poll(started.device_code as string), { status: 400, body: { error: 'expired_token' } }, 'past deviceCodeTimeToLiveInSeconds');
  t.match(await fusionauth.validateDevice(started.user_code as string, TV).catch((error: unknown) => error), {
    statusCode: 400,
    exception: { error: 'invalid_request', error_reason: 'user_code_expired' },
  });
});

t.test('validate, user-code and approve refuse what they must', async (t) => {
  const started = (await start()).body!;
  const userCode = started.user_code as string;
  const validate = (query: string) =>
    fetch(`${standin.url}/oauth2/device/validate?${query}`).then(async (r) => ({ status: r.status, body: await r.json() }));
  t.match(await validate(`client_id=${TV}`), { status: 400, body: { error_reason: 'missing_user_code' } });
  t.match(await validate(`user_code=${userCode}`), { status: 400, body: { error_reason: 'missing_client_id' } });
  t.match(
    await validate(`client_id=${NO_GRANT}&user_code=${userCode}`),
    { status: 400, body: { error_reason: 'invalid_user_code' } },
    "another client's code",
  );
  t.match(await validate(`client_id=${TV}&user_code=NOPE00`), { status: 400, body: { error_reason: 'invalid_user_code' } });

  const byApiKey = await fetch(`${standin.url}/oauth2/device/user-code`, {
    method: 'POST',
    headers: { authorization: API_KEY },
    body: new URLSearchParams({ user_code: userCode }),
  });
  t.match(await byApiKey.json(), { client_id: TV, user_code: userCode }, 'an API key may read any code');
  const otherTenant = await fetch(`${standin.url}/oauth2/device/user-code`, {
    method: 'POST',
    headers: { authorization: OTHER_TENANT_KEY },
    body: new URLSearchParams({ user_code: userCode }),
  });
  t.match(await otherTenant.json(), { error_reason: 'invalid_user_code' }, "a key bound to another tenant does not see this tenant's codes");
  const badKey = await fetch(`${standin.url}/oauth2/device/user-code`, {
    method: 'POST',
    headers: { authorization: 'not-a-key' },
    body: new URLSearchParams({ user_code: userCode }),
  });
  t.equal(badKey.status, 401);

  t.match(await post('/oauth2/device/approve', { client_id: TV, client_secret: SECRET, token: 'garbage', user_code: userCode }), {
    status: 400,
    body: { error: 'invalid_token', error_reason: 'access_token_malformed' },
  });
  t.match(await post('/oauth2/device/approve', { client_id: TV, client_secret: SECRET, user_code: userCode }), {
    status: 400,
    body: { error_reason: 'missing_token' },
  });
  t.match(await post('/oauth2/device/approve', { client_id: TV, token: await userAccessToken(), user_code: userCode }), {
    status: 401,
    body: { error_reason: 'client_authentication_missing' },
  });
  t.match(await poll(started.device_code as string), { status: 400, body: { error: 'authorization_pending' } }, 'still pending after the refusals');
});

t.test('a device approved by a user deactivated since gets access_denied, and the code is used up', async (t) => {
  const started = (await start()).body!;
  await fusionauth.approveDevice(TV, SECRET, await userAccessToken(), started.user_code as string);
  await fusionauth.deactivateUser(USER);
  t.teardown(async () => {
    await fusionauth.reactivateUser(USER);
  });
  t.match(await poll(started.device_code as string), { status: 400, body: { error: 'access_denied' } });
  t.match(await poll(started.device_code as string), { status: 400, body: { error_reason: 'invalid_device_code' } });
});

t.test("the tenant's deviceUserCodeIdGenerator and deviceCodeTimeToLiveInSeconds are honoured", async (t) => {
  await fusionauth.patchTenant(TENANT, {
    tenant: {
      externalIdentifierConfiguration: {
        deviceCodeTimeToLiveInSeconds: 120,
        deviceUserCodeIdGenerator: { length: 8, type: SecureGeneratorType.randomDigits },
      },
    },
  });
  const started = (await start()).body!;
  t.match(started, { expires_in: 120, user_code: /^\d{8}$/ });
});

t.test('deviceVerificationURL must be an http(s) URL', async (t) => {
  const refused = await fusionauth
    .createApplication(null as unknown as string, {
      application: { name: 'Bad URL', oauthConfiguration: { deviceVerificationURL: 'javascript:alert(1)', enabledGrants: [] } },
    })
    .catch((error: unknown) => error);
  t.match(refused, {
    statusCode: 400,
    exception: {
      fieldErrors: {
        'application.oauthConfiguration.deviceVerificationURL': [{ code: '[invalid]application.oauthConfiguration.deviceVerificationURL' }],
      },
    },
  });
});
