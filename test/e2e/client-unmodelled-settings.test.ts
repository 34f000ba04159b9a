import { FusionAuthClient, LambdaType } from '@fusionauth/typescript-client';
import t from 'tap';
import { banner } from '../../src/banner.js';
import { startStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';

// Tenant and application settings FusionAuth acts on and Standin does not (docs/built-ins-and-defaults.md,
// "Settings Standin does not act on"): turned on through the API they are refused with [NotModelled] instead of
// being stored with no effect; a kickstart's are stored and named in the start banner.
const API_KEY = 'client-unmodelled-settings-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c7000000-0000-4000-8000-000000000001';
const KICKSTARTED = 'c7000000-0000-4000-8000-000000000002';
const TEMPLATE = 'c7000000-0000-4000-8000-0000000000e1';
const NO_ID = undefined as unknown as string;

const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }],
  requests: [
    { url: `/api/application/${APP}`, body: { application: { name: 'Plain' } } },
    {
      url: `/api/application/${KICKSTARTED}`,
      body: { application: { name: 'Kickstarted', webAuthnConfiguration: { enabled: true } } },
    },
    { method: 'PATCH' as const, url: `/api/tenant/${TENANT}`, body: { tenant: { minimumPasswordAge: { enabled: true, seconds: 600 } } } },
  ],
};

type Answer = { statusCode: number; exception?: { generalErrors?: Array<{ code?: string; message?: string }> } };

t.test('a setting Standin does not act on is refused through the API, and nothing is stored', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const notModelled = (answer: Answer, ...paths: string[]) => {
    t.equal(answer.statusCode, 400);
    t.equal(answer.exception?.generalErrors?.length, 1);
    t.equal(answer.exception?.generalErrors?.[0]?.code, '[NotModelled]');
    for (const path of paths) t.match(answer.exception?.generalErrors?.[0]?.message, `[${path}]`);
  };

  notModelled(
    await settle(client.patchTenant(TENANT, { tenant: { maximumPasswordAge: { enabled: true, days: 90 } } })),
    'tenant.maximumPasswordAge.enabled',
  );
  t.equal((await client.retrieveTenant(TENANT)).response.tenant!.maximumPasswordAge?.enabled, false, 'the tenant keeps it off');

  notModelled(
    await settle(
      client.createTenant(NO_ID, {
        tenant: {
          name: 'Guarded',
          captchaConfiguration: { enabled: true },
          rateLimitConfiguration: { failedLogin: { enabled: true, limit: 5, timePeriodInSeconds: 60 } },
          failedAuthenticationConfiguration: { userActionId: 'c7000000-0000-4000-8000-0000000000a1' },
          registrationConfiguration: { blockedDomains: ['example.com'] },
        },
      }),
    ),
    'tenant.captchaConfiguration.enabled',
    'tenant.rateLimitConfiguration.failedLogin.enabled',
    'tenant.failedAuthenticationConfiguration.userActionId',
    'tenant.registrationConfiguration.blockedDomains',
  );
  t.notOk(
    (await client.retrieveTenants()).response.tenants!.some((tenant) => tenant.name === 'Guarded'),
    'no tenant was created',
  );

  notModelled(
    await settle(
      client.createApplication(NO_ID, {
        application: { name: 'Federated', samlv2Configuration: { enabled: true }, emailConfiguration: { loginNewDeviceEmailTemplateId: TEMPLATE } },
      }),
    ),
    'application.samlv2Configuration.enabled',
    'application.emailConfiguration.loginNewDeviceEmailTemplateId',
  );
  t.notOk(
    (await client.retrieveApplications()).response.applications!.some((application) => application.name === 'Federated'),
    'no application was created',
  );

  notModelled(
    await settle(client.updateApplication(APP, { application: { name: 'Plain', authenticationTokenConfiguration: { enabled: true } } })),
    'application.authenticationTokenConfiguration.enabled',
  );
});

t.test('the same settings left off, as FusionAuth answers them, pass', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const tenant = (await client.retrieveTenant(TENANT)).response.tenant!;
  t.equal((await client.updateTenant(TENANT, { tenant: { ...tenant, name: 'Renamed' } })).statusCode, 200, 'a tenant sent back as answered');
  t.equal(
    (await client.patchTenant(TENANT, { tenant: { maximumPasswordAge: { enabled: false, days: 30 }, captchaConfiguration: { enabled: false } } }))
      .statusCode,
    200,
    'explicit off values',
  );
  const application = (await client.retrieveApplication(APP)).response.application!;
  t.equal((await client.updateApplication(APP, { application: { ...application, name: 'Renamed' } })).statusCode, 200);
  // A template for an email Standin sends is not refused.
  await client.createEmailTemplate(TEMPLATE, {
    emailTemplate: {
      name: 'Reset',
      defaultSubject: 'Reset',
      defaultHtmlTemplate: '<p>Reset</p>',
      defaultTextTemplate: 'Reset',
      defaultFromName: 'Standin',
    },
  });
  t.equal((await client.patchApplication(APP, { application: { emailConfiguration: { forgotPasswordEmailTemplateId: TEMPLATE } } })).statusCode, 200);
});

t.test("a kickstart's settings are stored, answered and named in the banner; sending them back is not refused", async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const tenant = (await client.retrieveTenant(TENANT)).response.tenant!;
  t.same(tenant.minimumPasswordAge, { enabled: true, seconds: 600 });
  const text = banner(standin.app, 9011);
  t.match(text, 'Settings that have no effect');
  t.match(text, `  tenant.minimumPasswordAge.enabled  on tenant ${tenant.name}`);
  t.match(text, '  application.webAuthnConfiguration.enabled  on application Kickstarted');
  t.notMatch(text, 'on application Plain');

  t.equal((await client.updateTenant(TENANT, { tenant: { ...tenant, name: 'Renamed' } })).statusCode, 200);
  const application = (await client.retrieveApplication(KICKSTARTED)).response.application!;
  t.equal((await client.updateApplication(KICKSTARTED, { application: { ...application, name: 'Renamed' } })).statusCode, 200);
  t.equal(
    (await client.patchTenant(TENANT, { tenant: { minimumPasswordAge: { enabled: false } } })).statusCode,
    200,
    'and turning one off is allowed',
  );
});

t.test('a lambda that never runs and a setting with no effect are two errors of one answer', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const VALIDATION = 'c7000000-0000-4000-8000-0000000000b1';
  await client.createLambda(VALIDATION, {
    lambda: { name: 'SCIM users', type: LambdaType.SCIMServerUserRequestConverter, body: 'function convert() {}' },
  });

  const answer: Answer = await settle(
    client.patchTenant(TENANT, {
      tenant: { lambdaConfiguration: { scimUserRequestConverterId: VALIDATION }, usernameConfiguration: { unique: { enabled: true } } },
    }),
  );
  t.equal(answer.statusCode, 400);
  t.same(
    answer.exception?.generalErrors?.map((error) => error.code),
    ['[NotModelled]', '[NotModelled]'],
  );
  t.match(answer.exception?.generalErrors?.[0]?.message, 'tenant.lambdaConfiguration.scimUserRequestConverterId');
  t.match(answer.exception?.generalErrors?.[1]?.message, 'tenant.usernameConfiguration.unique.enabled');
});
