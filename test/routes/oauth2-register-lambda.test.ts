import t, { type Test } from 'tap';
import { apiHeaders, buildEmptyApp, hiddenFields, testKickstart } from '../helpers/fixtures.js';

// The application's self-service registration validation lambda on the hosted registration page
// (https://fusionauth.io/docs/extend/code/lambdas/self-service-registration; docs/lambdas.md), through app.inject: its
// field errors beside their field, its general errors above the form, and nothing created.
const APP = 'b0000000-0000-4000-8000-0000000000d1';
const FORM = 'f0000000-0000-4000-8000-0000000000d1';
const LAMBDA = 'c8000000-0000-4000-8000-0000000000d1';
const CALLBACK = 'http://localhost:3000/cb';
const VALIDATE = `function validate(result, user, registration, formContext, context) {
  if (user.email.indexOf('@hooli.com') > 0) {
    result.errors.fieldErrors['user.email'] = [{ code: '[invalid]user.email', message: 'No Hooli addresses' }];
    result.errors.generalErrors = [{ code: '[Refused]', message: 'Step ' + formContext.step + ' of ' + formContext.totalSteps + ' for ' + registration.applicationId + (user.password === undefined ? '' : ' with a password') }];
  }
  if (user.email.indexOf('throw') === 0) throw new Error('boom');
}`;

async function setUp(t: Test, registrationConfiguration: object, more: object[] = []) {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      { url: `/api/lambda/${LAMBDA}`, body: { lambda: { name: 'No Hooli', type: 'SelfServiceRegistrationValidation', body: VALIDATE } } },
      ...(more as never[]),
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Sign-up',
            oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], enabledGrants: ['authorization_code'] },
            registrationConfiguration,
            lambdaConfiguration: { selfServiceRegistrationValidationId: LAMBDA },
          },
        },
      },
    ]),
  });
  const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code' });
  const page = await app.inject(`/oauth2/register?${query}`);
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')?.value ?? '';
  const post = (fields: Record<string, string>, from = page.body) =>
    app.inject({
      method: 'POST',
      url: '/oauth2/register',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { 'standin.csrf': csrf },
      payload: new URLSearchParams({ ...hiddenFields(from), ...fields }).toString(),
    });
  const exists = async (email: string) =>
    (await app.inject({ url: `/api/user?email=${encodeURIComponent(email)}`, headers: apiHeaders() })).statusCode === 200;
  return { app, post, exists };
}

t.test('the basic form: the lambda refuses one address, shown on the page, and lets another through', async (t) => {
  const { post, exists } = await setUp(t, { enabled: true });
  const refused = await post({ 'user.email': 'gavin@hooli.com', 'user.password': 'gavin-password' });
  t.equal(refused.statusCode, 400);
  t.match(refused.body, /id="email-error">No Hooli addresses</, 'the field error beside its field');
  t.match(refused.body, new RegExp(`role="alert">[^<]*Step 1 of 1 for ${APP}<`), 'the general error above the form, and no password given');
  t.notOk(await exists('gavin@hooli.com'), 'nothing created');

  const thrown = await post({ 'user.email': 'throw@example.com', 'user.password': 'throw-password' });
  t.equal(thrown.statusCode, 400, 'a lambda that throws refuses the sign-up, never a 500');
  t.match(thrown.body, 'Your registration could not be checked. Try again later.');
  t.notOk(await exists('throw@example.com'));

  const done = await post({ 'user.email': 'richard@piedpiper.com', 'user.password': 'richard-password' });
  t.equal(done.statusCode, 302);
  t.ok(await exists('richard@piedpiper.com'));
});

t.test('an advanced form: each step is validated as it is posted', async (t) => {
  const field = (id: string, body: object) => ({ method: 'POST', url: `/api/form/field/${id}`, body: { field: body } });
  const EMAIL = 'f1000000-0000-4000-8000-0000000000d1';
  const PASSWORD = 'f1000000-0000-4000-8000-0000000000d2';
  const PLAN = 'f1000000-0000-4000-8000-0000000000d3';
  const { post, exists } = await setUp(t, { enabled: true, type: 'advanced', formId: FORM }, [
    field(EMAIL, { name: 'Email', key: 'user.email', required: true }),
    field(PASSWORD, { name: 'Password', key: 'user.password', required: true }),
    field(PLAN, { name: 'Plan', key: 'registration.data.plan', required: true }),
    { method: 'POST', url: `/api/form/${FORM}`, body: { form: { name: 'Sign up', steps: [{ fields: [EMAIL, PASSWORD] }, { fields: [PLAN] }] } } },
  ]);
  const refused = await post({ step: '1', 'user.email': 'gavin@hooli.com', 'user.password': 'gavin-password' });
  t.equal(refused.statusCode, 400);
  t.match(refused.body, /id="user_email-error">No Hooli addresses</);
  t.match(refused.body, `Step 1 of 2 for ${APP}`);
  t.match(refused.body, 'Step 1 of 2', 'the same step again');
  t.notOk(await exists('gavin@hooli.com'));

  const second = await post({ step: '1', 'user.email': 'richard@piedpiper.com', 'user.password': 'richard-password' });
  t.equal(second.statusCode, 200);
  t.match(second.body, 'Step 2 of 2');
  const done = await post({ step: '2', 'registration.data.plan': 'pro' }, second.body);
  t.equal(done.statusCode, 302, done.body);
  t.ok(await exists('richard@piedpiper.com'));
});
