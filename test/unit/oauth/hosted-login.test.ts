import t from 'tap';
import { hostedAuthorizeRequest, hostedPageLoginTenant, loginFormOf, refusalMessage } from '../../../src/oauth/hosted-login.js';
import { buildMintedTokenApp, RICHARD_ID, STORE_APP, TENANT_ID } from '../../helpers/fixtures.js';

const query = (redirectUri: string) => ({ client_id: STORE_APP, redirect_uri: redirectUri, response_type: 'code', scope: 'openid' });

t.test("hostedAuthorizeRequest: Standin's own callback is a redirect URI at the configured base and at the origin the browser used", async (t) => {
  const app = await buildMintedTokenApp(t);
  const { standin } = app;
  const configured = `${standin.baseUrl()}/app/callback`;
  const other = 'http://127.0.0.1:4555';
  t.equal(hostedAuthorizeRequest(standin, standin.baseUrl(), query(configured)).redirectUri, configured, 'the configured base');
  t.equal(hostedAuthorizeRequest(standin, other, query(configured)).redirectUri, configured, 'the configured base, reached elsewhere');
  t.equal(hostedAuthorizeRequest(standin, other, query(`${other}/app/callback`)).redirectUri, `${other}/app/callback`, 'the origin used');
  t.throws(
    () => hostedAuthorizeRequest(standin, standin.baseUrl(), query(`${other}/app/callback`)),
    { message: 'Invalid redirect uri http://127.0.0.1:4555/app/callback' },
    'not another origin',
  );
  t.equal(hostedAuthorizeRequest(standin, other, query('https://store.example.com/callback')).application.id, STORE_APP, "the application's own");
});

t.test('loginFormOf: strings only, and rememberDevice only when "true"', async (t) => {
  t.same(loginFormOf({ loginId: 'richard@example.com', password: 'pw', rememberDevice: 'true' }), {
    loginId: 'richard@example.com',
    password: 'pw',
    rememberDevice: true,
  });
  t.same(loginFormOf({ loginId: ['a', 'b'], password: 7, rememberDevice: 'on' }), { loginId: '', password: '', rememberDevice: false });
  t.same(loginFormOf({}), { loginId: '', password: '', rememberDevice: false });
});

t.test('refusalMessage: 503 while busy, else 429 with the wait in seconds, or whole minutes from two minutes', async (t) => {
  t.same(refusalMessage({ kind: 'busy', retryAfterSeconds: 1 }), {
    status: 503,
    error: 'Standin is busy checking other passwords. Try again in a moment.',
  });
  t.same(refusalMessage({ kind: 'lockout', retryAfterSeconds: 119 }), {
    status: 429,
    error: 'Too many failed attempts for this login. Try again in 119 seconds.',
  });
  t.same(refusalMessage({ kind: 'address', retryAfterSeconds: 120 }), {
    status: 429,
    error: 'Too many failed logins from your address. Try again in 2 minutes.',
  });
  t.match(refusalMessage({ kind: 'lockout', retryAfterSeconds: 121 }).error, /in 3 minutes\.$/, 'minutes round up');
});

t.test("hostedPageLoginTenant: a valid request of the user's tenant, for an active user", async (t) => {
  const app = await buildMintedTokenApp(t);
  const { standin } = app;
  const authz = hostedAuthorizeRequest(standin, standin.baseUrl(), query('https://store.example.com/callback'));
  const richard = standin.stores.users.get(RICHARD_ID)!;
  t.equal(hostedPageLoginTenant(standin, authz, richard)?.id, TENANT_ID, 'logs in to the tenant');
  t.equal(hostedPageLoginTenant(standin, undefined, richard), undefined, 'no valid authorization request');
  t.equal(hostedPageLoginTenant(standin, authz, { ...richard, active: false }), undefined, 'a deactivated user');
  t.equal(hostedPageLoginTenant(standin, authz, { ...richard, tenantId: 'aaaaaaaa-0000-4000-8000-00000000ffff' }), undefined, 'another tenant');
});
