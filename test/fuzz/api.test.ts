import fc from 'fast-check';
import t from 'tap';
import { API_KEY, APP, buildGrantApp, exchange, issueCode, TENANT_ID, USER } from '../helpers/fixtures.js';
import { contentType, deepOrWide, encode, fuzz, nasty, runs, type FuzzRun } from './fuzz-helpers.js';

// Fuzzing /api/*: every route FusionAuth's clients call, with nasty path ids, query values and JSON bodies
// (wrong types, unknown and poisonous keys, injections, huge strings, lone surrogates through JSON escapes).
// Successful writes are allowed (the API creates things); a refused request must change no row count.

const BOUND_KEY = 'fuzz-tenant-bound-key-0123456789abcdef';
const id = fc.oneof(
  { arbitrary: fc.constantFrom(APP, USER, TENANT_ID, APP.toUpperCase()), weight: 4 },
  { arbitrary: fc.uuid(), weight: 2 },
  { arbitrary: nasty, weight: 3 },
);
const ROUTES: [method: string, path: string][] = [
  ['GET', '/api/status'],
  ['GET', '/api/user'],
  ['GET', '/api/user/:id'],
  ['POST', '/api/user'],
  ['POST', '/api/user/:id'],
  ['PUT', '/api/user/:id'],
  ['PATCH', '/api/user/:id'],
  ['DELETE', '/api/user/:id'],
  ['POST', '/api/user/registration'],
  ['POST', '/api/user/registration/:id'],
  ['GET', '/api/user/registration/:id/:id'],
  ['PATCH', '/api/user/registration/:id'],
  ['DELETE', '/api/user/registration/:id/:id'],
  ['GET', '/api/user/search'],
  ['POST', '/api/user/search'],
  ['POST', '/api/user/change-password'],
  ['POST', '/api/user/change-password/:id'],
  ['POST', '/api/user/forgot-password'],
  ['GET', '/api/application'],
  ['GET', '/api/application/:id'],
  ['POST', '/api/application'],
  ['POST', '/api/application/:id'],
  ['PATCH', '/api/application/:id'],
  ['PUT', '/api/application/:id'],
  ['DELETE', '/api/application/:id'],
  ['POST', '/api/application/:id/role'],
  ['DELETE', '/api/application/:id/role/:id'],
  ['POST', '/api/application/:id/scope'],
  ['POST', '/api/application/:id/scope/:id'],
  ['GET', '/api/application/:id/scope/:id'],
  ['PUT', '/api/application/:id/scope/:id'],
  ['PATCH', '/api/application/:id/scope/:id'],
  ['DELETE', '/api/application/:id/scope/:id'],
  ['GET', '/api/tenant'],
  ['GET', '/api/tenant/:id'],
  ['POST', '/api/tenant'],
  ['PATCH', '/api/tenant/:id'],
  ['DELETE', '/api/tenant/:id'],
  ['GET', '/api/key'],
  ['GET', '/api/key/:id'],
  ['POST', '/api/key/generate'],
  ['POST', '/api/key/generate/:id'],
  ['DELETE', '/api/key/:id'],
  ['GET', '/api/system-configuration'],
  ['PATCH', '/api/system-configuration'],
  ['PUT', '/api/system-configuration'],
  ['POST', '/api/login'],
  ['PUT', '/api/login/:id/:id'],
  ['POST', '/api/logout'],
  ['GET', '/api/jwt/validate'],
  ['GET', '/api/jwt/public-key'],
  ['POST', '/api/jwt/refresh'],
  ['GET', '/api/jwt/refresh'],
  ['DELETE', '/api/jwt/refresh'],
  ['DELETE', '/api/jwt/refresh/:id'],
  ['GET', '/api/jwt/refresh/:id'],
  ['GET', '/api/jwt/issue'],
  ['POST', '/api/jwt/vend'],
  ['POST', '/api/jwt/reconcile'],
  ['POST', '/api/user-action'],
  ['POST', '/api/user-action/:id'],
  ['PUT', '/api/user-action/:id'],
  ['PATCH', '/api/user-action/:id'],
  ['DELETE', '/api/user-action/:id'],
  ['POST', '/api/user/action'],
  ['GET', '/api/user/action'],
  ['PUT', '/api/user/action/:id'],
  ['DELETE', '/api/user/action/:id'],
  ['POST', '/api/user/comment'],
  ['GET', '/api/user/comment/:id'],
  ['POST', '/api/user/comment/search'],
  ['GET', '/api/theme'],
  ['GET', '/api/theme/:id'],
  ['POST', '/api/theme'],
  ['POST', '/api/theme/:id'],
  ['PUT', '/api/theme/:id'],
  ['PATCH', '/api/theme/:id'],
  ['DELETE', '/api/theme/:id'],
  ['POST', '/api/theme/search'],
  ['POST', '/api/consent'],
  ['POST', '/api/consent/:id'],
  ['GET', '/api/consent/:id'],
  ['PUT', '/api/consent/:id'],
  ['PATCH', '/api/consent/:id'],
  ['DELETE', '/api/consent/:id'],
  ['POST', '/api/consent/search'],
  ['POST', '/api/user/consent'],
  ['POST', '/api/user/consent/:id'],
  ['GET', '/api/user/consent'],
  ['PUT', '/api/user/consent/:id'],
  ['PATCH', '/api/user/consent/:id'],
  ['DELETE', '/api/user/consent/:id'],
  ['POST', '/api/user/family'],
  ['POST', '/api/user/family/:id'],
  ['GET', '/api/user/family'],
  ['GET', '/api/user/family/:id'],
  ['PUT', '/api/user/family/:id'],
  ['DELETE', '/api/user/family/:id/:id'],
  ['GET', '/api/user/family/pending'],
  ['POST', '/api/user/family/request'],
  ['GET', '/api/entity/type'],
  ['POST', '/api/entity/type/:id'],
  ['PATCH', '/api/entity/type/:id'],
  ['DELETE', '/api/entity/type/:id'],
  ['POST', '/api/entity/type/:id/permission'],
  ['PUT', '/api/entity/type/:id/permission/:id'],
  ['DELETE', '/api/entity/type/:id/permission'],
  ['POST', '/api/entity/type/search'],
  ['POST', '/api/entity'],
  ['GET', '/api/entity/:id'],
  ['PUT', '/api/entity/:id'],
  ['DELETE', '/api/entity/:id'],
  ['GET', '/api/entity/search'],
  ['POST', '/api/entity/search'],
  ['POST', '/api/entity/:id/grant'],
  ['GET', '/api/entity/:id/grant'],
  ['DELETE', '/api/entity/:id/grant'],
  ['POST', '/api/entity/grant/search'],
  ['GET', '/api/nope/:id'],
];

// JSON leaves of every type, including the nasty strings (lone surrogates survive as JSON \uD800 escapes).
const leaf = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.constantFrom('richard@example.com', 'password1', APP, USER),
);
const KEYS = [
  'email',
  'username',
  'password',
  'loginId',
  'applicationId',
  'tenantId',
  'roles',
  'name',
  'active',
  'data',
  'refreshToken',
  'token',
  'userId',
  'firstName',
  'oauthConfiguration',
  'authorizedRedirectURLs',
  'clientSecret',
  'enabledGrants',
  'jwtConfiguration',
  'timeToLiveInSeconds',
  'refreshTokenUsagePolicy',
  'issuer',
  'algorithm',
  'length',
  'ids',
  'queryString',
  'numberOfResults',
  'currentPassword',
  'changePasswordId',
  'sendForgotPasswordEmail',
  'global',
  'corsConfiguration',
  'allowedOrigins',
  'claims',
  'keyId',
  'timeToLiveInSeconds',
  'isDefault',
  'isSuperRole',
  'verified',
  'birthDate',
  'logoutURL',
  'userAction',
  'preventLogin',
  'temporal',
  'action',
  'actioneeUserId',
  'actionerUserId',
  'userActionId',
  'expiry',
  'option',
  'userComment',
  'commenterId',
  'comment',
  'theme',
  'templates',
  'sourceThemeId',
  'themeId',
  'stylesheet',
  'consent',
  'consentId',
  'defaultMinimumAgeForSelfConsent',
  'countryMinimumAgeForSelfConsent',
  'emailPlus',
  'values',
  'userConsent',
  'giverUserId',
  'status',
  'familyMember',
  'owner',
  'role',
  'parentEmail',
  'entityType',
  'entity',
  'grant',
  'permission',
  'permissions',
  'recipientEntityId',
  'clientId',
  'parentId',
  'accessTokenKeyId',
  'sortFields',
  '__proto__',
  'constructor',
  'prototype',
];
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), fc.array(tie('value'), { maxLength: 3 })),
  object: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), nasty), tie('value')), { maxLength: 5 }).map((entries) => {
    // Built as JSON text, so a `__proto__` key is sent as the literal key a client could send.
    return { json: `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonOrNull(v)}`).join(',')}}` };
  }),
})).value;
function text(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'json' in value) return (value as { json: string }).json;
  if (Array.isArray(value)) return `[${value.map(text).join(',')}]`;
  return jsonOrNull(value);
}
// Bodies that are nearly right, so that the fuzzed values reach the handlers past the schemas.
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: leaf, weight: 1 });
const email = fc.oneof(
  fc.emailAddress(),
  nasty.map((v) => `${v}@example.com`),
  nasty,
);
const plausible = fc
  .oneof(
    fc.record({
      user: fc.record(
        {
          email: maybe(email),
          password: maybe(fc.constantFrom('password1', 'short')),
          firstName: maybe(nasty),
          data: maybe(fc.dictionary(nasty, nasty, { maxKeys: 2 })),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      user: fc.record({ email: maybe(email), password: maybe(fc.constant('password1')) }),
      registration: fc.record(
        { applicationId: maybe(fc.constant(APP)), roles: maybe(fc.array(nasty, { maxLength: 2 })), username: maybe(nasty) },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      application: fc.record(
        {
          name: maybe(nasty),
          roles: maybe(fc.array(fc.record({ name: nasty }), { maxLength: 2 })),
          oauthConfiguration: maybe(
            fc.record(
              {
                authorizedRedirectURLs: maybe(fc.array(nasty, { maxLength: 2 })),
                clientSecret: maybe(nasty),
                enabledGrants: maybe(fc.array(nasty, { maxLength: 2 })),
                logoutURL: maybe(nasty),
              },
              { requiredKeys: [] },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      tenant: fc.record(
        {
          name: maybe(nasty),
          issuer: maybe(nasty),
          jwtConfiguration: maybe(
            fc.record({ timeToLiveInSeconds: maybe(fc.integer()), refreshTokenUsagePolicy: maybe(nasty) }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record(
      {
        loginId: maybe(fc.constantFrom('richard@example.com', 'monica@example.com')),
        password: maybe(fc.constantFrom('password1', 'wrong')),
        applicationId: maybe(fc.constant(APP)),
      },
      { requiredKeys: [] },
    ),
    fc.record({
      key: fc.record(
        { algorithm: maybe(fc.constantFrom('RS256', 'ES256', 'HS256', 'none')), name: maybe(nasty), length: maybe(fc.constantFrom(2048, 1, 99999)) },
        { requiredKeys: [] },
      ),
    }),
    fc.record(
      {
        sourceThemeId: maybe(fc.oneof(fc.uuid(), fc.constant('75a068fd-e94b-451a-9aeb-3ddb9a3b5987'), nasty)),
        theme: fc.record(
          {
            name: maybe(nasty),
            type: maybe(fc.constantFrom('advanced', 'simple')),
            stylesheet: maybe(nasty),
            templates: maybe(fc.dictionary(fc.oneof(fc.constantFrom('oauth2Authorize', 'helpers'), nasty), nasty, { maxKeys: 2 })),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
    fc.record({
      consent: fc.record(
        {
          name: maybe(nasty),
          defaultMinimumAgeForSelfConsent: maybe(fc.integer()),
          values: maybe(fc.array(nasty, { maxLength: 2 })),
          countryMinimumAgeForSelfConsent: maybe(fc.dictionary(nasty, fc.integer(), { maxKeys: 2 })),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      entityType: fc.record(
        {
          name: maybe(nasty),
          permissions: maybe(fc.array(fc.record({ name: maybe(nasty), isDefault: maybe(fc.boolean()) }), { maxLength: 2 })),
          jwtConfiguration: maybe(
            fc.record({ enabled: maybe(fc.boolean()), accessTokenKeyId: maybe(fc.oneof(fc.uuid(), nasty)) }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      userConsent: fc.record(
        {
          consentId: maybe(fc.oneof(fc.uuid(), nasty)),
          userId: maybe(fc.constantFrom(USER, USER.toUpperCase())),
          giverUserId: maybe(fc.constantFrom(USER, USER.toUpperCase())),
          status: maybe(fc.constantFrom('Active', 'Revoked', 'Pending')),
          values: maybe(fc.array(nasty, { maxLength: 2 })),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      entity: fc.record(
        {
          name: maybe(nasty),
          type: maybe(fc.record({ id: maybe(fc.oneof(fc.uuid(), nasty)) })),
          clientId: maybe(fc.oneof(fc.constant(APP), nasty)),
          clientSecret: maybe(nasty),
          parentId: maybe(fc.oneof(fc.uuid(), nasty)),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      familyMember: fc.record(
        {
          userId: maybe(fc.constantFrom(USER, USER.toUpperCase())),
          role: maybe(fc.constantFrom('Adult', 'Teen', 'Child', 'x')),
          owner: maybe(fc.boolean()),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({
      grant: fc.record(
        {
          userId: maybe(fc.oneof(fc.constant(USER), nasty)),
          recipientEntityId: maybe(fc.oneof(fc.uuid(), nasty)),
          permissions: maybe(fc.array(nasty, { maxLength: 2 })),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.record({ parentEmail: maybe(email) }, { requiredKeys: [] }),
    fc.record({ refreshToken: maybe(nasty), token: maybe(nasty) }, { requiredKeys: [] }),
    // Vend claims that name the tenant's objects, or another's, for the tenant-bound key below.
    fc.record(
      {
        claims: maybe(
          fc.record(
            {
              sub: maybe(fc.constantFrom(USER, USER.toUpperCase(), 'batch-job')),
              aud: maybe(fc.oneof(fc.constant(APP), fc.array(fc.constantFrom(APP, 'api', ''), { maxLength: 2 }))),
              tid: maybe(fc.constantFrom(TENANT_ID, 'x')),
              applicationId: maybe(fc.constant(APP)),
            },
            { requiredKeys: [] },
          ),
        ),
        keyId: maybe(fc.oneof(fc.uuid(), nasty)),
      },
      { requiredKeys: [] },
    ),
  )
  .map((value) => JSON.stringify(value));

const wrapper = fc.constantFrom(
  'user',
  'registration',
  'application',
  'tenant',
  'key',
  'role',
  'scope',
  'systemConfiguration',
  'theme',
  'consent',
  'userConsent',
  'familyMember',
  'entityType',
  'entity',
  'grant',
  'permission',
  'search',
  'claims',
  'none',
);
const body = fc.oneof(
  { arbitrary: plausible, weight: 8 },
  {
    arbitrary: fc
      .tuple(wrapper, json, json)
      .map(([name, inner, outer]) => (name === 'none' ? text(inner) : `{${JSON.stringify(name)}:${text(inner)},"extra":${text(outer)}}`)),
    weight: 8,
  },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '{',
      '{"user":',
      'null',
      '[]',
      '"x"',
      '1e999',
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"polluted":1}}}',
      '{"user":{"__proto__":{"admin":true},"email":"a@example.com","password":"password1"}}',
      '{"a":1,"a":2}',
      '\uFEFF{}',
      '{"x":"\\ud800"}',
      '{"x":"\u0000"}',
    ),
    weight: 2,
  },
  { arbitrary: fc.integer({ min: 1024 * 1024 - 64, max: 1024 * 1024 + 64 }).map((n) => `{"user":{"email":"${'a'.repeat(n)}"}}`), weight: 1 },
  { arbitrary: deepOrWide, weight: 2 },
);
const query = fc.array(
  fc.tuple(
    fc.constantFrom(
      'email',
      'username',
      'loginId',
      'ids',
      'applicationId',
      'userId',
      'token',
      'tenantId',
      'hardDelete',
      'queryString',
      'keyId',
      '__proto__',
    ),
    fc.oneof(nasty, fc.constantFrom(USER, APP, 'undefined', 'null', 'true')),
  ),
  { maxLength: 3 },
);

t.test('fuzzing /api/*', async (t) => {
  const app = await buildGrantApp(t);
  const run: FuzzRun = { count: 0 };
  const tokens = (await exchange(app, issueCode(app))).json<{ access_token: string; refresh_token: string }>();
  // A key bound to the tenant: its vends are checked against the tenant's keys and objects (docs/hardening-tokens.md).
  app.standin.stores.apiKeys.insert({ id: 'cccccccc-0000-4000-8000-0000000000bb', tenantId: TENANT_ID, insertInstant: 0 }, BOUND_KEY);
  const authorization = fc.oneof(
    { arbitrary: fc.constant(API_KEY), weight: 12 },
    {
      arbitrary: fc.constantFrom(undefined, '', `Bearer ${tokens.access_token}`, `JWT ${tokens.access_token}`, `${API_KEY} `, API_KEY.toUpperCase()),
      weight: 2,
    },
    { arbitrary: fc.constant(BOUND_KEY), weight: 2 },
    { arbitrary: nasty.map((v) => v.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')), weight: 1 },
  );
  const request = fc.tuple(
    fc.constantFrom(...ROUTES),
    fc.array(id, { minLength: 2, maxLength: 2 }),
    query,
    body,
    contentType('application/json'),
    authorization,
    fc.boolean(),
  );
  await fuzz(
    t,
    app,
    run,
    '/api/*',
    request,
    ([[method, path], ids, list, payload, type, auth, withCookie]) => {
      let i = 0;
      const url = path.replace(/:id/g, () => encode(ids[i++]!));
      return {
        method: method as 'GET',
        url: list.length === 0 ? url : `${url}?${list.map(([k, v]) => `${k}=${encode(v)}`).join('&')}`,
        headers: {
          ...(auth === undefined ? {} : { authorization: auth }),
          ...(type === undefined || method === 'GET' || method === 'DELETE' ? {} : { 'content-type': type }),
          // /api/jwt/refresh and /api/logout read the refresh_token cookie first (FusionAuth: cookie wins).
          ...(withCookie ? { cookie: `refresh_token=${tokens.refresh_token}` } : {}),
        },
        ...(method === 'GET' || method === 'DELETE' ? {} : { payload }),
      };
    },
    { numRuns: runs(3500), countsUnchangedOnRefusal: () => true },
  );
  t.comment(`fuzzed ${run.count} requests on /api/*`);
});

/** JSON.stringify answers undefined for undefined and functions, whatever its type says. */
function jsonOrNull(value: unknown): string {
  if (value === undefined || typeof value === 'function') return 'null';
  return JSON.stringify(value);
}
