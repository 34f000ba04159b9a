import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { CLIENT_API_KEY, CLIENT_TENANT_ID, failureOf, startClientStandin, WEB_APP } from '../helpers/fixtures.js';

// Tenants, applications and keys are answered with FusionAuth's defaults for what the request left out.
t.test('minimal tenants and applications come back with FusionAuth’s defaults', async (t) => {
  const { client: anyTenant, app, url } = await startClientStandin(t);
  // With a second tenant, FusionAuth needs the tenant named on tenant-scoped calls.
  const client = new FusionAuthClient(CLIENT_API_KEY, url, CLIENT_TENANT_ID);
  const TENANT_ID = 'eeeeeeee-0000-4000-8000-000000000001';
  const APP_ID = 'eeeeeeee-0000-4000-8000-000000000002';
  const storedBody = (table: 'tenants' | 'applications', id: string) =>
    JSON.parse((app.standin.stores.db.prepare(`SELECT body FROM ${table} WHERE id = ?`).get(id) as { body: string }).body);

  t.test('createTenant with a name only', async (t) => {
    const created = (await anyTenant.createTenant(TENANT_ID, { tenant: { name: 'Minimal' } })).response.tenant!;
    const tenant = (await anyTenant.retrieveTenant(TENANT_ID)).response.tenant!;
    t.same(created, tenant, 'the create answer and a read agree');
    t.match(tenant.passwordValidationRules, {
      minLength: 8,
      maxLength: 256,
      requireMixedCase: false,
      requireNonAlpha: false,
      requireNumber: false,
      validateOnLogin: false,
      breachDetection: { enabled: false },
    });
    t.match(tenant.failedAuthenticationConfiguration, { tooManyAttempts: 5, resetCountInSeconds: 60, actionDuration: 3 });
    t.match(tenant.maximumPasswordAge, { enabled: false, days: 180 });
    t.match(tenant.minimumPasswordAge, { enabled: false, seconds: 30 });
    t.match(tenant.externalIdentifierConfiguration, {
      authorizationGrantIdTimeToLiveInSeconds: 30,
      changePasswordIdTimeToLiveInSeconds: 600,
      twoFactorIdTimeToLiveInSeconds: 300,
      passwordlessLoginTimeToLiveInSeconds: 180,
    });
    t.match(
      tenant.jwtConfiguration,
      { timeToLiveInSeconds: 3600, refreshTokenTimeToLiveInMinutes: 43200, refreshTokenUsagePolicy: 'Reusable' },
      'the defaults Standin acts on are unchanged',
    );
    t.same(tenant.loginConfiguration, { requireAuthentication: true });
    t.equal(tenant.httpSessionMaxInactiveInterval, 3600);
    t.notOk('passwordValidationRules' in storedBody('tenants', TENANT_ID), 'defaults are answered, not stored');
  });

  t.test('what the request sets wins, member by member', async (t) => {
    const patched = (await anyTenant.patchTenant(TENANT_ID, { tenant: { passwordValidationRules: { minLength: 12 } } })).response.tenant!;
    t.match(patched.passwordValidationRules, { minLength: 12, maxLength: 256 });
    t.same(storedBody('tenants', TENANT_ID).passwordValidationRules, { minLength: 12 });
    const refused = await failureOf(anyTenant.patchTenant(TENANT_ID, { tenant: { failedAuthenticationConfiguration: 'often' as never } }));
    t.equal(refused.statusCode, 400);
    t.ok(refused.exception.fieldErrors['tenant.failedAuthenticationConfiguration']);
  });

  t.test('createApplication with a name only', async (t) => {
    await client.createApplication(APP_ID, { application: { name: 'Minimal app' } });
    const application = (await client.retrieveApplication(APP_ID)).response.application!;
    t.equal(application.oauthConfiguration!.requireClientAuthentication, true, 'clientAuthenticationPolicy Required');
    t.match(application.registrationConfiguration, {
      enabled: false,
      type: 'basic',
      confirmPassword: false,
      birthDate: { enabled: false, required: false },
      loginIdType: 'email',
    });
    t.match(application.passwordlessConfiguration, { enabled: false });
    t.match(application.oauthConfiguration, {
      clientAuthenticationPolicy: 'Required',
      proofKeyForCodeExchangePolicy: 'NotRequired',
      enabledGrants: [],
      generateRefreshTokens: false,
    });
    t.match(application.jwtConfiguration, { enabled: false });
    t.match(application.loginConfiguration, { allowTokenRefresh: false, generateRefreshTokens: false, requireAuthentication: true });
    t.match(
      application.oauthConfiguration,
      { relationship: 'FirstParty', unknownScopePolicy: 'Reject' },
      'the scope policies come with their own defaults (model/scope-policy.ts)',
    );
    t.notOk('passwordlessConfiguration' in storedBody('applications', APP_ID));
    const listed = (await client.retrieveApplications()).response.applications!.find((a) => a.id === APP_ID)!;
    t.same(listed, application, 'listed as read');
    const publicApp = (
      await client.patchApplication(APP_ID, { application: { oauthConfiguration: { clientAuthenticationPolicy: 'NotRequired' as never } } })
    ).response.application!;
    t.equal(publicApp.oauthConfiguration!.requireClientAuthentication, false);
    const web = (await client.retrieveApplication(WEB_APP)).response.application!;
    t.match(web.loginConfiguration, { allowTokenRefresh: true, generateRefreshTokens: true }, 'what a kickstart set is unchanged');
  });

  t.test('keys show lastUpdateInstant, and hasPrivateKey when asymmetric', async (t) => {
    const keys = (await client.retrieveKeys()).response.keys!;
    const rsa = keys.find((key) => key.type === 'RSA')!;
    t.equal(rsa.hasPrivateKey, true);
    t.equal(rsa.lastUpdateInstant, rsa.insertInstant);
    t.notOk(keys.find((key) => key.type === 'HMAC')!.hasPrivateKey);
  });
});
