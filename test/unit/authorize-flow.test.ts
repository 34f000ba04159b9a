import t from 'tap';
import { reusableSessionFor, silentStep } from '../../src/oauth/authorize-flow.js';
import { parseAuthorizeRequest, type AuthorizeRequest } from '../../src/oauth/authorize-request.js';
import type { StandinApp } from '../../src/app.js';
import { buildMintedTokenApp, insertSsoSession, RICHARD_ID, STORE_APP, T0, TENANT_ID } from '../helpers/fixtures.js';

function authorizeRequest(app: StandinApp, extra: Record<string, string> = {}): AuthorizeRequest {
  const params = { client_id: STORE_APP, redirect_uri: 'https://store.example.com/callback', response_type: 'code', scope: 'openid', ...extra };
  return parseAuthorizeRequest(app.standin.stores, params, []);
}

function sessionOf(app: StandinApp, extra: Parameters<typeof insertSsoSession>[2] = {}) {
  const { id } = insertSsoSession(app, RICHARD_ID, extra);
  return app.standin.stores.ssoSessions.get(id);
}

t.test('reusableSessionFor: a live session of the tenant, unless prompt=login or max_age asks for a fresh login', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { standin } = app;
  const session = sessionOf(app, { authTime: T0 - 120_000 });
  t.equal(reusableSessionFor(standin, session, authorizeRequest(app))?.user.id, RICHARD_ID, 'reused');
  t.equal(reusableSessionFor(standin, undefined, authorizeRequest(app)), undefined, 'no session');
  t.equal(reusableSessionFor(standin, session, authorizeRequest(app, { prompt: 'login' })), undefined, 'prompt=login');
  t.equal(reusableSessionFor(standin, session, authorizeRequest(app, { max_age: '0' })), undefined, 'max_age=0 is prompt=login');
  t.equal(reusableSessionFor(standin, session, authorizeRequest(app, { max_age: '60' })), undefined, 'logged in longer ago than max_age');
  t.equal(reusableSessionFor(standin, session, authorizeRequest(app, { max_age: '600' }))?.user.id, RICHARD_ID, 'within max_age');
  // A session of another tenant, as the rule would see one (the store refuses an unknown tenant id).
  const elsewhere = { ...session!, tenantId: 'aaaaaaaa-0000-4000-8000-00000000ffff' };
  t.equal(reusableSessionFor(standin, elsewhere, authorizeRequest(app)), undefined, 'another tenant');
});

t.test('silentStep: SSO when a session is reusable, the login page without one, prompt=none refused', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { standin } = app;
  const tenant = standin.stores.tenants.get(TENANT_ID)!;
  const reusable = reusableSessionFor(standin, sessionOf(app), authorizeRequest(app));
  t.equal(silentStep(standin, authorizeRequest(app), tenant, reusable).kind, 'sso');
  t.equal(silentStep(standin, authorizeRequest(app, { prompt: 'none' }), tenant, reusable).kind, 'sso', 'prompt=none with a session');
  t.equal(silentStep(standin, authorizeRequest(app), tenant, undefined).kind, 'login-page');
  const refused = silentStep(standin, authorizeRequest(app, { prompt: 'none' }), tenant, undefined);
  t.ok(refused.kind === 'refused' && refused.error.error === 'login_required', 'prompt=none without a session: login_required');
});
