import t from 'tap';
import { API_KEY, apiHeaders, buildEmptyApp, testKickstart } from '../helpers/fixtures.js';

const OTHER_TENANT = 'cccccccc-0000-4000-8000-000000000002';

t.test('discovery describes the default tenant with FusionAuth field names', async (t) => {
  const app = await buildEmptyApp(t);
  const response = await app.inject('/.well-known/openid-configuration');
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/json/);
  const body = response.json();
  t.equal(body.issuer, 'http://localhost:9011', 'with no issuer configured, http://localhost:<port>');
  t.equal(body.authorization_endpoint, 'http://localhost:9011/oauth2/authorize');
  t.equal(body.token_endpoint, 'http://localhost:9011/oauth2/token');
  t.equal(body.userinfo_endpoint, 'http://localhost:9011/oauth2/userinfo');
  t.equal(body.end_session_endpoint, 'http://localhost:9011/oauth2/logout');
  t.equal(body.jwks_uri, 'http://localhost:9011/.well-known/jwks.json');
  t.same(body.code_challenge_methods_supported, ['S256']);
  t.same(body.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none']);
  t.same(body.subject_types_supported, ['public']);
  t.ok(body.scopes_supported.includes('openid') && body.scopes_supported.includes('offline_access'));
});

t.test('the issuer is the configured one whatever the Host header; endpoints follow the Host only when it is a plain host:port', async (t) => {
  // Endpoint URLs may follow a plain host:port Host header: see test/routes/discovery-origin.test.ts.
  const app = await buildEmptyApp(t, { issuer: 'https://login.example.test' });
  const reached = (await app.inject({ url: '/.well-known/openid-configuration', headers: { host: 'standin:9011' } })).json();
  t.equal(reached.issuer, 'https://login.example.test');
  t.equal(reached.token_endpoint, 'http://standin:9011/oauth2/token');
  const garbage = (await app.inject({ url: '/.well-known/openid-configuration', headers: { host: 'evil.example/x?<script>' } })).json();
  t.equal(garbage.token_endpoint, 'https://login.example.test/oauth2/token');
  t.notMatch(JSON.stringify(garbage), /evil\.example|script/);
});

t.test('each tenant has its own discovery document, by ?tenantId= and by path', async (t) => {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([{ url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other', issuer: 'https://other.example' } } }]),
  });
  const byQuery = (await app.inject(`/.well-known/openid-configuration?tenantId=${OTHER_TENANT}`)).json();
  const byPath = (await app.inject(`/${OTHER_TENANT}/.well-known/openid-configuration`)).json();
  t.equal(byQuery.issuer, 'https://other.example');
  t.same(byPath, byQuery);
  t.equal((await app.inject('/.well-known/openid-configuration')).json().issuer, 'http://localhost:9011', 'the default tenant is unchanged');
});

t.test("the tenant id after the path, as FusionAuth's Next.js quickstart builds it, gives that tenant's document", async (t) => {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([{ url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other', issuer: 'https://other.example' } } }]),
  });
  const bySuffix = await app.inject(`/.well-known/openid-configuration/${OTHER_TENANT}`);
  t.equal(bySuffix.statusCode, 200);
  t.match(bySuffix.headers['content-type'], /^application\/json/);
  t.same(bySuffix.json(), (await app.inject(`/.well-known/openid-configuration?tenantId=${OTHER_TENANT}`)).json());
  t.equal(bySuffix.json().issuer, 'https://other.example');
  const upper = await app.inject(`/.well-known/openid-configuration/${OTHER_TENANT.toUpperCase()}`);
  t.equal(upper.json().issuer, 'https://other.example', 'the id in upper case too, as the other forms take it');
  const defaultTenant = app.standin.stores.tenants.list()[0]!.id;
  t.same(
    (await app.inject(`/.well-known/openid-configuration/${defaultTenant}`)).json(),
    (await app.inject('/.well-known/openid-configuration')).json(),
  );
});

t.test('an unknown tenant has no discovery document, in every form', async (t) => {
  const app = await buildEmptyApp(t);
  const unknown = 'dddddddd-0000-4000-8000-000000000009';
  const answers = await Promise.all(
    [
      `/.well-known/openid-configuration?tenantId=${unknown}`,
      `/${unknown}/.well-known/openid-configuration`,
      `/.well-known/openid-configuration/${unknown}`,
      '/.well-known/openid-configuration?tenantId=not-a-uuid',
      '/not-a-uuid/.well-known/openid-configuration',
      '/.well-known/openid-configuration/not-a-uuid',
    ].map((url) => app.inject(url)),
  );
  for (const answer of answers) {
    t.equal(answer.statusCode, 404);
    t.same(answer.json(), answers[0]!.json(), 'the same answer as the other forms');
  }
  t.same(answers[0]!.json(), { error: 'not_found', error_description: 'No tenant has this id.' });
});

t.test('the JWKS publishes the public part of every asymmetric key and no HMAC key', async (t) => {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      { url: '/api/key/generate', body: { key: { algorithm: 'ES256', name: 'ec' } } },
      { url: '/api/key/generate', body: { key: { algorithm: 'HS256', name: 'hmac' } } },
    ]),
  });
  const { keys } = (await app.inject('/.well-known/jwks.json')).json();
  const stored = app.standin.stores.keys.list().filter((key) => !key.name.startsWith('OpenID Connect compliant HMAC'));
  t.equal(stored.length, 3);
  t.same(
    keys.map((key: { kid: string }) => key.kid).sort(),
    stored
      .filter((key) => key.type !== 'HMAC')
      .map((key) => key.kid)
      .sort(),
  );
  const rsa = keys.find((key: { kty: string }) => key.kty === 'RSA');
  const ec = keys.find((key: { kty: string }) => key.kty === 'EC');
  t.same(Object.keys(rsa).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use', 'x5c', 'x5t', 'x5t#S256']);
  t.same(Object.keys(ec).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'x5c', 'x5t', 'x5t#S256', 'y']);
  t.equal(rsa.alg, 'RS256');
  t.equal(Buffer.from(rsa.n, 'base64url').length * 8, 2048, 'the default key is RSA 2048');
  t.equal(ec.crv, 'P-256');
  for (const key of keys) t.equal(key.use, 'sig');
  t.notMatch(JSON.stringify(keys), /"(d|p|q|dp|dq|qi|k)":/, 'no private member');
});

t.test('/api/jwt/public-key gives PEMs by kid, by application, or all, without an API key', async (t) => {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([{ url: '/api/key/generate', body: { key: { algorithm: 'HS256', name: 'hmac' } } }]),
  });
  const [rsa, hmac] = app.standin.stores.keys.list();
  const all = await app.inject('/api/jwt/public-key');
  t.equal(all.statusCode, 200);
  t.same(Object.keys(all.json().publicKeys), [rsa!.kid], 'only the asymmetric key');
  t.match(all.json().publicKeys[rsa!.kid], /^-----BEGIN PUBLIC KEY-----/);
  t.same((await app.inject(`/api/jwt/public-key?kid=${rsa!.kid}`)).json(), { publicKey: rsa!.publicKey });
  t.equal((await app.inject(`/api/jwt/public-key?kid=${hmac!.kid}`)).statusCode, 404, 'an HMAC key has no public key');
  t.equal((await app.inject('/api/jwt/public-key?kid=unknown')).statusCode, 404);
  const fusionAuthApp = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';
  t.same(
    (await app.inject(`/api/jwt/public-key?applicationId=${fusionAuthApp}`)).json(),
    { publicKey: rsa!.publicKey },
    "an application without its own key uses its tenant's",
  );
  t.equal((await app.inject('/api/jwt/public-key?applicationId=eeeeeeee-0000-4000-8000-000000000000')).statusCode, 404);
});

t.test('/api/status answers 200 without an API key', async (t) => {
  const app = await buildEmptyApp(t);
  const response = await app.inject('/api/status');
  t.equal(response.statusCode, 200);
  t.equal(response.json().status, 'ok');
  t.equal((await app.inject({ url: '/api/status', headers: apiHeaders() })).statusCode, 200);
  t.ok(API_KEY);
});
