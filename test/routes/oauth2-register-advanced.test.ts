import t, { type Test } from 'tap';
import { banner } from '../../src/banner.js';
import { apiHeaders, buildEmptyApp, hiddenFields, testKickstart } from '../helpers/fixtures.js';

// The hosted registration page of an application whose registration is `advanced` (docs/custom-forms.md): the
// steps of its registration form, the values of each read in the field's type, and the user and registration made
// from all of them at the last step. Through app.inject; test/browser/advanced-registration.test.ts drives it in
// Chromium.
const APP = 'b0000000-0000-4000-8000-0000000000c1';
const FORM = 'f0000000-0000-4000-8000-0000000000c1';
const CALLBACK = 'http://localhost:3000/cb';
const field = (id: string, body: object) => ({ method: 'POST' as const, url: `/api/form/field/${id}`, body: { field: body } });
const FIELDS = {
  email: 'f1000000-0000-4000-8000-000000000001',
  password: 'f1000000-0000-4000-8000-000000000002',
  company: 'f1000000-0000-4000-8000-000000000003',
  plan: 'f1000000-0000-4000-8000-000000000004',
  newsletter: 'f1000000-0000-4000-8000-000000000005',
  age: 'f1000000-0000-4000-8000-000000000006',
  roles: 'f1000000-0000-4000-8000-000000000007',
  birthDate: 'f1000000-0000-4000-8000-000000000008',
  consent: 'f1000000-0000-4000-8000-000000000009',
};

async function setUp(t: Test, steps: Array<{ fields: string[]; type?: string }>) {
  const app = await buildEmptyApp(t, {
    kickstart: testKickstart([
      field(FIELDS.email, { name: 'Email', key: 'user.email', required: true }),
      field(FIELDS.password, { name: 'Password', key: 'user.password', required: true, confirm: true }),
      field(FIELDS.company, { name: 'Company', key: 'user.data.company.name', required: true, validator: { enabled: true, expression: '^[A-Z]' } }),
      field(FIELDS.plan, { name: 'Plan', key: 'registration.data.plan', control: 'select', options: ['free', 'pro'], required: true }),
      field(FIELDS.newsletter, { name: 'Send me the newsletter', key: 'user.data.newsletter', type: 'bool', control: 'checkbox' }),
      field(FIELDS.age, { name: 'Age', key: 'user.data.age', type: 'number', control: 'number' }),
      field(FIELDS.roles, { name: 'Roles', key: 'registration.roles', control: 'checkbox', options: ['reader', 'writer'] }),
      field(FIELDS.birthDate, { name: 'Birth date', key: 'user.birthDate' }),
      {
        method: 'POST',
        url: '/api/consent/c0000000-0000-4000-8000-0000000000c1',
        body: { consent: { name: 'Terms', defaultMinimumAgeForSelfConsent: 13 } },
      },
      field(FIELDS.consent, { name: 'Terms', key: 'user.data.terms', type: 'consent', consentId: 'c0000000-0000-4000-8000-0000000000c1' }),
      { method: 'POST' as const, url: `/api/form/${FORM}`, body: { form: { name: 'Sign up', steps } } },
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Shop',
            oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], enabledGrants: ['authorization_code'] },
            registrationConfiguration: { enabled: true, type: 'advanced', formId: FORM },
            roles: [{ name: 'reader' }, { name: 'writer' }],
          },
        },
      },
    ]),
  });
  const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', state: 'shop-state' });
  const page = await app.inject(`/oauth2/register?${query}`);
  const csrf = page.cookies.find((cookie) => cookie.name === 'standin.csrf')?.value ?? '';
  const post = (from: string, fields: Record<string, string | string[]>, cookie = csrf) => {
    const form = new URLSearchParams(hiddenFields(from));
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) form.append(name, one);
    return app.inject({
      method: 'POST',
      url: '/oauth2/register',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { 'standin.csrf': cookie },
      payload: form.toString(),
    });
  };
  return { app, page, post };
}

const TWO_STEPS = [
  { fields: [FIELDS.email, FIELDS.password, FIELDS.company] },
  { fields: [FIELDS.plan, FIELDS.newsletter, FIELDS.age, FIELDS.roles, FIELDS.birthDate] },
];
const STEP_ONE = { 'user.email': 'dinesh@example.com', 'user.password': 'dinesh-password', 'confirm.user.password': 'dinesh-password' };

t.test('a two-step form: each step checked on its own, the user and registration made from both', async (t) => {
  const { app, page, post } = await setUp(t, TWO_STEPS);
  t.equal(page.statusCode, 200);
  t.match(page.body, 'name="user.email"');
  t.match(page.body, 'name="confirm.user.password"');
  t.match(page.body, '<label for="user_data_company_name">Company</label>');
  t.notMatch(page.body, 'registration.data.plan', 'the second step is not on the first page');
  t.match(page.body, 'Step 1 of 2');
  t.match(page.body, '>Next</button>');

  const refused = await post(page.body, {
    'user.email': 'not-an-email',
    'user.password': 'a',
    'confirm.user.password': 'b',
    'user.data.company.name': 'lower',
  });
  t.equal(refused.statusCode, 400);
  t.match(refused.body, /id="user_email-error">Invalid email</);
  t.match(refused.body, /id="confirm_user_password-error">Passwords don&#39;t match</);
  t.match(refused.body, /id="user_password-error">Password does not meet the minimum length requirement</, "the tenant's rules, on this step");
  t.match(refused.body, /id="user_data_company_name-error">Invalid</, 'the validator expression');
  t.match(refused.body, 'value="not-an-email"', 'what was typed is shown again');
  t.notMatch(refused.body, 'value="a"', 'a password is not');
  const blank = await post(page.body, { ...STEP_ONE });
  t.match(blank.body, /id="user_data_company_name-error">Required</);

  const second = await post(page.body, { ...STEP_ONE, 'user.data.company.name': 'Pied Piper' });
  t.equal(second.statusCode, 200);
  t.match(second.body, 'Step 2 of 2');
  t.match(second.body, '>Register</button>');
  t.match(second.body, '<option value="pro">pro</option>');
  const state = hiddenFields(second.body).registrationState ?? '';
  t.ok(state.length > 0, 'the first step travels in registrationState');
  t.notMatch(second.body, 'dinesh-password', 'sealed: the password is not in the page');
  t.notMatch(Buffer.from(state.replace(/\./g, ''), 'base64url').toString('latin1'), 'dinesh', 'nor readable in the state');

  const badOption = await post(second.body, { 'registration.data.plan': 'enterprise', 'user.data.age': 'forty' });
  t.equal(badOption.statusCode, 400);
  t.match(badOption.body, /id="registration_data_plan-error">Invalid</);
  t.match(badOption.body, /id="user_data_age-error">Invalid</);
  t.match(badOption.body, 'Step 2 of 2', 'the same step again, its state kept');

  const done = await post(second.body, {
    'registration.data.plan': 'pro',
    'user.data.newsletter': 'true',
    'user.data.age': '42',
    'registration.roles': ['reader', 'writer'],
    'user.birthDate': '1990-04-05',
  });
  t.equal(done.statusCode, 302, done.body);
  t.match(done.headers.location, /^http:\/\/localhost:3000\/cb\?code=.*state=shop-state/);
  const { user } = (await app.inject({ url: '/api/user?email=dinesh%40example.com', headers: apiHeaders() })).json();
  t.match(user, { email: 'dinesh@example.com', birthDate: '1990-04-05', data: { company: { name: 'Pied Piper' }, newsletter: true, age: 42 } });
  const registration = user.registrations.find((one: { applicationId: string }) => one.applicationId === APP);
  t.match(registration, { data: { plan: 'pro' } });
  t.same([...registration.roles].sort(), ['reader', 'writer']);
  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: apiHeaders(),
    payload: { loginId: 'dinesh@example.com', password: 'dinesh-password', applicationId: APP },
  });
  t.equal(login.statusCode, 200, 'the password of the first step is the one set');
});

t.test('a later step is posted only with the state this browser sealed for the step before it', async (t) => {
  const { app, page, post } = await setUp(t, TWO_STEPS);
  const second = await post(page.body, { ...STEP_ONE, 'user.data.company.name': 'Hooli' });
  const stepTwo = { 'registration.data.plan': 'free' };
  const fields = hiddenFields(second.body);

  const otherBrowser = (
    await app.inject(`/oauth2/register?client_id=${APP}&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code`)
  ).cookies.find((cookie) => cookie.name === 'standin.csrf')!.value;
  const bodyWith = (changes: Record<string, string>) =>
    second.body.replace(/<input type="hidden" name="([^"]+)" value="[^"]*">/g, (whole, name: string) =>
      name in changes ? `<input type="hidden" name="${name}" value="${changes[name]}">` : whole,
    );
  for (const [what, response] of [
    ['a state from another browser', await post(second.body, stepTwo, otherBrowser)],
    ['a changed state', await post(bodyWith({ registrationState: `${fields.registrationState!.slice(0, -4)}AAAA` }), stepTwo)],
    ['no state', await post(bodyWith({ registrationState: '' }), stepTwo)],
    ['a step skipped', await post(bodyWith({ step: '3' }), stepTwo)],
  ] as const) {
    if (what === 'a state from another browser') {
      t.equal(response.statusCode, 403, `${what}: its CSRF token does not match either`);
      continue;
    }
    t.equal(response.statusCode, 400, what);
    t.match(response.body, 'Your registration could not be continued. Start again.', what);
    t.match(response.body, 'Step 1 of 2', `${what}: the first step`);
  }
  t.equal((await app.inject({ url: '/api/user?email=dinesh%40example.com', headers: apiHeaders() })).statusCode, 404, 'nobody registered');
});

t.test('a form with a part Standin does not model says so, on the page and in the banner', async (t) => {
  const { app, page } = await setUp(t, [{ fields: [FIELDS.email, FIELDS.password, FIELDS.consent] }]);
  t.equal(page.statusCode, 400);
  t.match(page.body, 'does not render a registration form field of type [consent]');
  t.match(page.body, '[NotModelled]');
  t.match(
    banner(app, 0),
    /Registration forms that are not rendered[^\n]*\n {2}Sign up {2}on application Shop: Standin does not render a registration form field of type \[consent\]/,
  );
});

t.test('a form with email and password only is rendered in one step, and the banner does not list it', async (t) => {
  const { app, page, post } = await setUp(t, [{ fields: [FIELDS.email, FIELDS.password] }]);
  t.notMatch(page.body, /Step \d of/);
  t.match(page.body, '>Register</button>');
  t.notMatch(banner(app, 0), 'Registration forms that are not rendered');
  const done = await post(page.body, { ...STEP_ONE });
  t.equal(done.statusCode, 302);
});
