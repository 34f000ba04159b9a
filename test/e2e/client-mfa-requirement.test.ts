import { LambdaType } from '@fusionauth/typescript-client';
import t from 'tap';
import { CALLBACK, CLIENT_TENANT_ID, RICHARD_ID, RICHARD_LOGIN, WEB_APP, WEB_SECRET } from '../helpers/constants.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { hiddenFields } from '../helpers/login.js';
import { failureOf, startClientStandin } from '../helpers/client-standin.js';
import { authenticatorCode } from '../helpers/totp.js';

// The MFA requirement lambda (FusionAuth 1.62+, https://fusionauth.io/docs/extend/code/lambdas/mfa-requirement)
// through @fusionauth/typescript-client: `result.required` forces or skips the second factor of the Login API, the
// password grant, the hosted login and the MFA Status API; the application's lambda wins over the tenant's.
const FORCE = 'c8000000-0000-4000-8000-0000000000e1';
const SKIP = 'c8000000-0000-4000-8000-0000000000e2';
const THROWS = 'c8000000-0000-4000-8000-0000000000e3';
// Forces a second factor for a login, from what the lambda was told: FusionAuth's own decision, the policies, the action.
const FORCE_BODY = `function checkRequired(result, user, registration, context) {
  if (context.action === 'login' && context.policies.tenantLoginPolicy === 'Enabled' && user.email.indexOf('richard') === 0) result.required = true;
}`;
const SKIP_BODY =
  'function checkRequired(result, user, registration, context) { if (registration && registration.applicationId === context.application.id) result.required = false; }';

const authorizeUrl = (url: string) =>
  `${url}/oauth2/authorize?${new URLSearchParams({ client_id: WEB_APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;

t.test('the MFA requirement lambda forces and skips the second factor', async (t) => {
  const { client, url } = await startClientStandin(t);
  await client.createLambda(FORCE, { lambda: { name: 'Force', type: LambdaType.MFARequirement, body: FORCE_BODY } });
  await client.createLambda(SKIP, { lambda: { name: 'Skip', type: LambdaType.MFARequirement, body: SKIP_BODY } });
  await client.createLambda(THROWS, {
    lambda: { name: 'Broken', type: LambdaType.MFARequirement, body: 'function checkRequired() { throw new Error("x"); }' },
  });

  t.equal((await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP })).statusCode, 200, 'no method, no lambda: no second factor');
  const attached = await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { multiFactorRequirementId: FORCE } } });
  t.equal(attached.statusCode, 200, 'attaching an MFA requirement lambda through the API is accepted');

  t.test('forced, a user with no method is asked to enrol one (242 with configurableMethods)', async (t) => {
    const forced = await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP });
    t.equal(forced.statusCode, 242);
    t.same(forced.response.configurableMethods, ['authenticator']);
    t.ok(forced.response.twoFactorId);
    const grant = await failureOf(
      client.exchangeUserCredentialsForAccessToken(RICHARD_LOGIN.loginId, RICHARD_LOGIN.password, WEB_APP, WEB_SECRET, 'openid', ''),
    );
    t.equal(grant.exception.error, 'two_factor_required', 'the password grant too');
    t.equal((await client.retrieveTwoFactorStatus(RICHARD_ID, WEB_APP, undefined as never)).statusCode, 242, 'and the MFA Status API');

    const browser = createHttpBrowser();
    const page = await (await browser.get(authorizeUrl(url))).text();
    const posted = await browser.post(`${url}/oauth2/authorize`, { ...hiddenFields(page), ...RICHARD_LOGIN });
    t.equal(posted.status, 200, 'the hosted login: no code yet');
    t.match(await posted.text(), 'Set up two-factor authentication', 'but the enrolment page');
  });

  t.test("the application's lambda wins over the tenant's and skips the second factor", async (t) => {
    const { response } = await client.generateTwoFactorSecret();
    const secret = response.secretBase32Encoded!;
    await client.enableTwoFactor(RICHARD_ID, { method: 'authenticator', code: authenticatorCode(secret, Date.now()), secretBase32Encoded: secret });
    const asked = await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP });
    t.equal(asked.statusCode, 242, 'with a method, asked for it');
    t.equal(asked.response.methods?.[0]?.method, 'authenticator');

    await client.patchApplication(WEB_APP, { application: { lambdaConfiguration: { multiFactorRequirementId: SKIP } } });
    const skipped = await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP });
    t.equal(skipped.statusCode, 200, 'skipped for the application');
    t.ok(skipped.response.token);
    t.equal((await client.login(RICHARD_LOGIN)).statusCode, 242, "with no application, the tenant's lambda decides");
    const grant = await client.exchangeUserCredentialsForAccessToken(
      RICHARD_LOGIN.loginId,
      RICHARD_LOGIN.password,
      WEB_APP,
      WEB_SECRET,
      'openid',
      '',
    );
    t.ok(grant.response.access_token, 'the password grant skips it too');

    const { location } = await createHttpBrowser().authorize(authorizeUrl(url), RICHARD_LOGIN);
    t.ok(new URL(location).searchParams.get('code'), 'and the hosted login goes straight to the code');
  });

  t.test("a lambda that throws leaves FusionAuth's own decision, and is logged", async (t) => {
    await client.patchApplication(WEB_APP, { application: { lambdaConfiguration: { multiFactorRequirementId: THROWS } } });
    const answer = await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP });
    t.equal(answer.statusCode, 242);
    const logs = await client.searchEventLogs({ search: { message: 'Type: MFARequirement', numberOfResults: 10 } });
    t.match(logs.response.eventLogs?.[0]?.message, /Lambda invocation failed[\s\S]*Name: Broken/);
  });
});
