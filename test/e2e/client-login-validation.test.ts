import { LambdaType } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { hiddenFields } from '../helpers/login.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { CALLBACK, CLIENT_TENANT_ID, RICHARD_LOGIN, WEB_APP, WEB_SECRET } from '../helpers/constants.js';
import { failureOf, startClientStandin } from '../helpers/client-standin.js';

// The tenant's login validation lambda (https://fusionauth.io/docs/extend/code/lambdas/login-validation) through
// @fusionauth/typescript-client, the password grant and the hosted login page (docs/lambdas.md).
const VALIDATE = 'c8000000-0000-4000-8000-0000000000a1';
const THROWS = 'c8000000-0000-4000-8000-0000000000a2';
const DINESH = 'c8000000-0000-4000-8000-000000000011';
const DINESH_LOGIN = { loginId: 'dinesh@example.com', password: 'password1' };
// Refuses Dinesh, with what the lambda was told in the message; lets everyone else through.
const REFUSE_DINESH = `function validate(result, user, registration, context) {
  if (user.email.indexOf('dinesh') === 0) {
    result.errors.generalErrors = [{ code: '[LoginRestricted]', message: 'Account is past due (' + context.authenticationType + ', ' + (registration ? registration.applicationId : 'no registration') + ')' }];
  }
}`;

async function start(t: Test) {
  const standin = await startClientStandin(t);
  const { client } = standin;
  await client.register(DINESH, { user: { email: DINESH_LOGIN.loginId, password: DINESH_LOGIN.password }, registration: { applicationId: WEB_APP } });
  await client.createLambda(VALIDATE, { lambda: { name: 'Past due', type: LambdaType.LoginValidation, body: REFUSE_DINESH } });
  await client.createLambda(THROWS, {
    lambda: { name: 'Broken', type: LambdaType.LoginValidation, body: 'function validate() { throw new Error("boom"); }' },
  });
  return standin;
}

t.test('the Login API: the lambda refuses one user with 400 and its errors, and lets another through', async (t) => {
  const { client } = await start(t);
  for (const id of ['c8000000-0000-4000-8000-0000000000ff', 'not-an-id']) {
    const refused = await failureOf(client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: id } } }));
    t.equal(refused.statusCode, 400);
    t.equal(
      refused.exception.fieldErrors['tenant.lambdaConfiguration.loginValidationId'][0].code,
      '[invalid]tenant.lambdaConfiguration.loginValidationId',
    );
  }
  const wrongType = await failureOf(
    client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { multiFactorRequirementId: VALIDATE } } }),
  );
  t.ok(wrongType.exception.fieldErrors['tenant.lambdaConfiguration.multiFactorRequirementId'], 'a lambda of another type');
  const attached = await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: VALIDATE } } });
  t.equal(attached.statusCode, 200, 'attaching a login validation lambda through the API is accepted');

  const refused = await failureOf(client.login({ ...DINESH_LOGIN, applicationId: WEB_APP }));
  t.equal(refused.statusCode, 400);
  t.same(refused.exception, {
    fieldErrors: {},
    generalErrors: [{ code: '[LoginRestricted]', message: `Account is past due (PASSWORD, ${WEB_APP})` }],
  });
  const noApplication = await failureOf(client.login(DINESH_LOGIN));
  t.equal(noApplication.exception.generalErrors[0].message, 'Account is past due (PASSWORD, no registration)', 'no application: no registration');

  const richard = await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP });
  t.equal(richard.statusCode, 200);
  t.ok(richard.response.token);
});

t.test('/api/passwordless/login: the lambda is told PASSWORDLESS and refuses', async (t) => {
  const { client } = await start(t);
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: VALIDATE } } });
  await client.patchApplication(WEB_APP, { application: { passwordlessConfiguration: { enabled: true } } });
  const { response } = await client.startPasswordlessLogin({ loginId: DINESH_LOGIN.loginId, applicationId: WEB_APP });
  const refused = await failureOf(client.passwordlessLogin({ code: response.code!, applicationId: WEB_APP }));
  t.equal(refused.statusCode, 400);
  t.equal(refused.exception.generalErrors[0].message, `Account is past due (PASSWORDLESS, ${WEB_APP})`);
});

t.test('the password grant: refused with invalid_grant and the lambda message', async (t) => {
  const { client } = await start(t);
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: VALIDATE } } });
  const refused = await failureOf(
    client.exchangeUserCredentialsForAccessToken(DINESH_LOGIN.loginId, DINESH_LOGIN.password, WEB_APP, WEB_SECRET, 'openid', ''),
  );
  t.equal(refused.statusCode, 400);
  t.same(refused.exception, {
    error: 'invalid_grant',
    error_description: `Account is past due (PASSWORD, ${WEB_APP})`,
    error_reason: 'login_prevented',
  });
  const richard = await client.exchangeUserCredentialsForAccessToken(
    RICHARD_LOGIN.loginId,
    RICHARD_LOGIN.password,
    WEB_APP,
    WEB_SECRET,
    'openid',
    '',
  );
  t.equal(richard.statusCode, 200);
  t.ok(richard.response.access_token);
});

t.test('a lambda that throws fails the login, never with a 500, and says so in the event log', async (t) => {
  const { client } = await start(t);
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: THROWS } } });
  const refused = await failureOf(client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP }));
  t.equal(refused.statusCode, 400);
  t.equal(refused.exception.generalErrors[0].code, '[LoginValidationFailed]');
  const grant = await failureOf(
    client.exchangeUserCredentialsForAccessToken(RICHARD_LOGIN.loginId, RICHARD_LOGIN.password, WEB_APP, WEB_SECRET, 'openid', ''),
  );
  t.equal(grant.statusCode, 400);
  t.equal(grant.exception.error, 'invalid_grant');
  const logs = await client.searchEventLogs({ search: { message: 'Lambda invocation failed', numberOfResults: 10 } });
  t.match(logs.response.eventLogs?.[0]?.message, /Name: Broken\nType: LoginValidation[\s\S]*threw an exception/);
  t.notMatch(JSON.stringify(logs.response.eventLogs), RICHARD_LOGIN.password, 'no password in the event log');
});

t.test('the hosted login page shows the lambda message and issues no code', async (t) => {
  const { client, url } = await start(t);
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { lambdaConfiguration: { loginValidationId: VALIDATE } } });
  const authorize = `${url}/oauth2/authorize?${new URLSearchParams({ client_id: WEB_APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  const browser = createHttpBrowser();
  const form = hiddenFields(await (await browser.get(authorize)).text());
  const posted = await browser.post(`${url}/oauth2/authorize`, { ...form, ...DINESH_LOGIN });
  t.equal(posted.status, 200, 'the login page again, no redirect');
  t.match(await posted.text(), `Account is past due (PASSWORD, ${WEB_APP})`);

  const { location } = await createHttpBrowser().authorize(authorize, RICHARD_LOGIN);
  t.ok(new URL(location).searchParams.get('code'), 'Richard gets his code');
});
