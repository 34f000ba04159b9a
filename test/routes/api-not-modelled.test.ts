import t from 'tap';
import { apiHeaders, buildEmptyApp } from '../helpers/fixtures.js';

// Every FusionAuth operation whose path shares its first segments with a route Standin serves: /api/user,
// /api/application, /api/tenant, /api/key, /api/consent, /api/jwt, /api/login, /api/logout, /api/system-configuration,
// /api/status, /oauth2 and /.well-known. Gathered by hand from FusionAuth's API reference (its OpenAPI
// description and the calls @fusionauth/typescript-client makes); `{…}` is a path parameter. Each must get
// either Standin's real answer or the documented 404 [NotModelled]; never a 400 about the shape of an id it
// only thought was an id, and never an empty 401 to a caller whose API key is good.
const OPERATIONS = `
  GET /.well-known/jwks.json
  GET /.well-known/openid-configuration

  POST /api/application
  GET /api/application
  POST /api/application/search
  POST /api/application/{applicationId}
  GET /api/application/{applicationId}
  PUT /api/application/{applicationId}
  PATCH /api/application/{applicationId}
  DELETE /api/application/{applicationId}
  GET /api/application/{applicationId}/oauth-configuration
  POST /api/application/{applicationId}/role
  POST /api/application/{applicationId}/role/{roleId}
  PUT /api/application/{applicationId}/role/{roleId}
  PATCH /api/application/{applicationId}/role/{roleId}
  DELETE /api/application/{applicationId}/role/{roleId}
  POST /api/application/{applicationId}/scope
  POST /api/application/{applicationId}/scope/{scopeId}
  GET /api/application/{applicationId}/scope/{scopeId}
  PUT /api/application/{applicationId}/scope/{scopeId}
  PATCH /api/application/{applicationId}/scope/{scopeId}
  DELETE /api/application/{applicationId}/scope/{scopeId}

  POST /api/consent
  GET /api/consent
  GET /api/consent/search
  POST /api/consent/search
  POST /api/consent/{consentId}
  GET /api/consent/{consentId}
  PUT /api/consent/{consentId}
  PATCH /api/consent/{consentId}
  DELETE /api/consent/{consentId}

  GET /api/jwt/issue                                   jwt
  GET /api/jwt/public-key
  POST /api/jwt/reconcile
  POST /api/jwt/refresh
  GET /api/jwt/refresh
  DELETE /api/jwt/refresh
  GET /api/jwt/refresh/{tokenId}
  DELETE /api/jwt/refresh/{tokenId}
  GET /api/jwt/validate                                jwt
  POST /api/jwt/vend

  GET /api/key
  POST /api/key/generate
  POST /api/key/generate/{keyId}
  POST /api/key/import
  POST /api/key/import/{keyId}
  GET /api/key/search
  POST /api/key/search
  GET /api/key/{keyId}
  PUT /api/key/{keyId}
  DELETE /api/key/{keyId}

  POST /api/login
  PUT /api/login
  PUT /api/login/{userId}/{applicationId}
  POST /api/logout
  GET /api/status
  GET /api/system-configuration
  PUT /api/system-configuration
  PATCH /api/system-configuration

  POST /api/tenant
  GET /api/tenant
  GET /api/tenant/password-validation-rules
  GET /api/tenant/password-validation-rules/{tenantId}
  POST /api/tenant/search
  POST /api/tenant/{tenantId}
  GET /api/tenant/{tenantId}
  PUT /api/tenant/{tenantId}
  PATCH /api/tenant/{tenantId}
  DELETE /api/tenant/{tenantId}

  POST /api/user
  GET /api/user
  POST /api/user/action
  GET /api/user/action
  GET /api/user/action/{actionId}
  PUT /api/user/action/{actionId}
  DELETE /api/user/action/{actionId}
  DELETE /api/user/bulk
  POST /api/user/change-password
  GET /api/user/change-password
  POST /api/user/change-password/{changePasswordId}
  GET /api/user/change-password/{changePasswordId}
  POST /api/user/comment
  POST /api/user/comment/search
  GET /api/user/comment/{userId}
  POST /api/user/consent
  GET /api/user/consent
  POST /api/user/consent/{userConsentId}
  GET /api/user/consent/{userConsentId}
  PUT /api/user/consent/{userConsentId}
  PATCH /api/user/consent/{userConsentId}
  DELETE /api/user/consent/{userConsentId}
  POST /api/user/family
  GET /api/user/family
  GET /api/user/family/pending
  POST /api/user/family/request
  POST /api/user/family/{familyId}
  GET /api/user/family/{familyId}
  PUT /api/user/family/{familyId}
  DELETE /api/user/family/{familyId}/{userId}
  POST /api/user/forgot-password
  POST /api/user/import
  GET /api/user/recent-login
  POST /api/user/refresh-token/import
  POST /api/user/registration
  POST /api/user/registration/{userId}
  PUT /api/user/registration/{userId}
  PATCH /api/user/registration/{userId}
  GET /api/user/registration/{userId}/{applicationId}
  DELETE /api/user/registration/{userId}/{applicationId}
  GET /api/user/search
  POST /api/user/search
  PUT /api/user/search
  POST /api/user/two-factor/recovery-code/{userId}
  GET /api/user/two-factor/recovery-code/{userId}
  POST /api/user/two-factor/{userId}
  PUT /api/user/two-factor/{userId}
  DELETE /api/user/two-factor/{userId}
  POST /api/user/verify-email
  PUT /api/user/verify-email
  POST /api/user/verify-email/{verificationId}
  POST /api/user/verify-registration
  PUT /api/user/verify-registration
  POST /api/user/verify-registration/{verificationId}
  POST /api/user/{userId}
  GET /api/user/{userId}
  PUT /api/user/{userId}
  PATCH /api/user/{userId}
  DELETE /api/user/{userId}

  POST /oauth2/device/approve
  GET /oauth2/device/user-code
  POST /oauth2/device/user-code
  GET /oauth2/device/validate
  POST /oauth2/device_authorize
  POST /oauth2/introspect
  POST /oauth2/token
  GET /oauth2/userinfo                                 jwt
`;

interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  /** Authenticated by the user's JWT, not the API key: an empty 401 to an API key is right. */
  jwt: boolean;
}

const operations: Operation[] = OPERATIONS.trim()
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '')
  .map((line) => {
    const [method, template, flag] = line.split(/\s+/);
    return { method: method as Operation['method'], template: template!, jwt: flag === 'jwt' };
  });

// A UUID that names nothing in the test Standin.
const NOBODY = '0b0b0b0b-0000-4000-8000-00000000000b';
// Parameters FusionAuth does not fill with UUIDs: a word there is a value the route takes.
const NOT_UUID_PARAMETERS = new Set(['changePasswordId', 'verificationId']);

function isNotModelled(response: { statusCode: number; body: string }, url: string): boolean {
  if (response.statusCode !== 404 || response.body === '') return false;
  const body = JSON.parse(response.body) as { generalErrors?: { code: string; message: string }[]; error?: string; error_description?: string };
  const path = url.split('?')[0];
  if (url.startsWith('/oauth2/')) return body.error === 'invalid_request' && body.error_description!.startsWith('Standin does not model');
  return body.generalErrors?.[0]?.code === '[NotModelled]' && body.generalErrors[0].message.includes(path!);
}

t.test("every FusionAuth operation next to a Standin route gets Standin's answer or 404 [NotModelled]", async (t) => {
  const app = await buildEmptyApp(t);
  t.ok(operations.length > 100, `${operations.length} operations`);
  let notModelled = 0;
  for (const { method, template, jwt } of operations) {
    const url = template.replace(/\{[^}]+\}/g, NOBODY);
    const payload = method === 'GET' || method === 'DELETE' ? {} : { headers: { 'content-type': 'application/json' }, payload: '{}' };
    const withKey = await app.inject({ method, url, ...payload, headers: apiHeaders(payload.headers) });
    const withoutKey = await app.inject({ method, url, ...payload });
    const label = `${method} ${template}: ${withKey.statusCode} ${withKey.body.slice(0, 160)}`;
    t.ok(withKey.statusCode < 500, label);
    t.notMatch(withKey.body, /must match pattern|params\//, `${label} — no complaint about an id's shape`);
    if (!jwt) t.not(withKey.statusCode, 401, `${label} — a good API key is never refused`);
    if (isNotModelled(withKey, url)) {
      notModelled += 1;
      t.ok(isNotModelled(withoutKey, url), `${method} ${template}: not modelled, with or without a key (${withoutKey.statusCode})`);
    } else {
      t.not(withKey.statusCode === 404 && withKey.body !== '' && !url.startsWith('/oauth2/'), true, `${label} — a 404 with a body is [NotModelled]`);
      t.notOk(isNotModelled(withoutKey, url), `${method} ${template}: modelled, with or without a key (${withoutKey.statusCode})`);
    }
  }
  // Each API Standin models takes some off this count (PUT /api/user/search is left); the walk must still meet an
  // unmodelled one to test it.
  t.ok(notModelled >= 1, `${notModelled} are not modelled`);
});

t.test('a word where a modelled route takes a UUID is not modelled, before the API key is checked', async (t) => {
  const app = await buildEmptyApp(t);
  for (const { method, template } of operations.filter((operation) => /\{[^}]+\}/.test(operation.template))) {
    const url = template.replace(/\{([^}]+)\}/g, (_whole, name: string) => (NOT_UUID_PARAMETERS.has(name) ? 'some-code' : 'not-an-id'));
    if (url === template.replace(/\{[^}]+\}/g, 'some-code')) continue;
    for (const headers of [apiHeaders(), {}]) {
      const response = await app.inject({ method, url, headers });
      t.ok(
        isNotModelled(response, url),
        `${method} ${url}${headers.authorization ? '' : ' without a key'}: ${response.statusCode} ${response.body.slice(0, 120)}`,
      );
    }
  }
  const response = await app.inject({ method: 'GET', url: '/api/user/import', headers: apiHeaders() });
  t.match(
    JSON.parse(response.body).generalErrors[0].message,
    /^Standin does not model GET \/api\/user\/import \(\[import\] cannot be an id there/,
    'the message says why',
  );
});

t.test("a UUID that names nothing keeps FusionAuth's empty 404 on a modelled route", async (t) => {
  const app = await buildEmptyApp(t);
  const upper = NOBODY.toUpperCase();
  for (const url of [
    `/api/user/${NOBODY}`,
    `/api/application/${upper}`,
    `/api/tenant/${NOBODY}`,
    `/api/key/${upper}`,
    `/api/jwt/refresh/${NOBODY}`,
    `/api/user/registration/${NOBODY}/${upper}`,
  ]) {
    const response = await app.inject({ method: 'GET', url, headers: apiHeaders() });
    t.equal(response.statusCode, 404, url);
    t.equal(response.body, '', `${url}: empty`);
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 401, `${url}: and without a key, FusionAuth's 401`);
  }
});
