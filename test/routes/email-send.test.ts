import t from 'tap';
import { sendTemplatedEmail } from '../../src/email/send-templated-email.js';
import { API_KEY, apiHeaders, buildEmptyApp, TENANT_ID, testKickstart } from '../helpers/fixtures.js';

// sendTemplatedEmail, the entry point of every email flow: which template it picks, what it renders with,
// and what the outbox keeps (docs/email.md).
const APP = 'aaaaaaaa-0000-4000-8000-0000000000a1';
const USER = 'aaaaaaaa-0000-4000-8000-0000000000b1';
const TENANT_TEMPLATE = 'aaaaaaaa-0000-4000-8000-0000000000c1';
const APP_TEMPLATE = 'aaaaaaaa-0000-4000-8000-0000000000c2';

const template = (name: string) => ({
  emailTemplate: {
    name,
    defaultSubject: `${name} for \${user.email}`,
    defaultHtmlTemplate: `<p>${name} \${changePasswordId!}</p>`,
    defaultTextTemplate: `${name} \${baseUrl}/password/change/\${changePasswordId!}`,
  },
});

const kickstart = testKickstart([
  { method: 'POST', url: `/api/email/template/${TENANT_TEMPLATE}`, body: template('Tenant template') },
  { method: 'POST', url: `/api/email/template/${APP_TEMPLATE}`, body: template('App template') },
  { method: 'POST', url: `/api/application/${APP}`, body: { application: { name: 'App' } } },
  { method: 'POST', url: `/api/user/${USER}`, body: { user: { email: 'gavin@example.com', password: 'password1', firstName: 'Gavin' } } },
  // An email sent while the kickstart runs is part of the state reset returns to.
  { method: 'POST', url: `/api/email/send/${TENANT_TEMPLATE}`, body: { userIds: [USER], requestData: {} } },
]);

async function setUp(t: Parameters<typeof buildEmptyApp>[0]) {
  const app = await buildEmptyApp(t, { kickstart });
  const { stores } = app.standin;
  const tenant = () => stores.tenants.get(TENANT_ID)!;
  const application = () => stores.applications.get(APP)!;
  const user = stores.users.get(USER)!;
  const send = () => {
    const result = sendTemplatedEmail(app.standin, {
      tenant: tenant(),
      application: application(),
      user,
      templateKind: 'forgotPassword',
      variables: { changePasswordId: 'CP-1', state: { redirect_uri: 'https://app.example/cb' } },
    });
    if (!result.ok) throw new Error(result.message);
    return result.email;
  };
  const api = (method: 'PATCH' | 'POST' | 'GET', url: string, payload?: object) =>
    app.inject({ method, url, headers: apiHeaders(), ...(payload ? { payload } : {}) });
  return { app, send, api };
}

t.test('the template: the application override, else the tenant one, else Standin default', async (t) => {
  const { app, send, api } = await setUp(t);
  const byDefault = send();
  t.equal(byDefault.subject, 'Reset your password', "Standin's default when nothing is configured");
  t.match(
    byDefault.text,
    `${app.standin.baseUrl()}/password/change/CP-1?client_id=${APP}&tenantId=${TENANT_ID}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb`,
  );
  t.equal(byDefault.from.address, 'change-me@example.com', "the tenant's default from address (FusionAuth's default)");
  t.equal(byDefault.from.name, 'FusionAuth');

  t.equal(
    (await api('PATCH', `/api/tenant/${TENANT_ID}`, { tenant: { emailConfiguration: { forgotPasswordEmailTemplateId: TENANT_TEMPLATE } } }))
      .statusCode,
    200,
  );
  t.equal(send().subject, 'Tenant template for gavin@example.com', "the tenant's template");

  t.equal(
    (await api('PATCH', `/api/application/${APP}`, { application: { emailConfiguration: { forgotPasswordEmailTemplateId: APP_TEMPLATE } } }))
      .statusCode,
    200,
  );
  const overridden = send();
  t.equal(overridden.subject, 'App template for gavin@example.com', "the application's template wins");
  t.equal(overridden.templateId, APP_TEMPLATE);

  t.equal((await api('PATCH', `/api/application/${APP}`, { application: { baseURL: 'https://login.example.com/' } })).statusCode, 200);
  t.match(send().text, 'App template https://login.example.com/password/change/CP-1', 'links start at the application baseURL');
});

t.test('the outbox copy: type, ids and links parsed out, no delivery without an SMTP server', async (t) => {
  const { send, app } = await setUp(t);
  const email = send();
  t.match(email, {
    type: 'forgotPassword',
    changePasswordId: 'CP-1',
    userId: USER,
    applicationId: APP,
    tenantId: TENANT_ID,
    to: { address: 'gavin@example.com', name: 'Gavin' },
    delivery: 'none',
    attempts: 0,
  });
  t.equal(email.links.length, 1);
  t.match(email.links[0], /\/password\/change\/CP-1\?/);
  const listed = await app.inject({ url: '/_standin/emails?type=forgotPassword', headers: { authorization: API_KEY } });
  t.same(
    listed.json().emails.map((one: { id: string }) => one.id),
    [email.id],
  );
  const all = await app.inject({ url: '/_standin/emails', headers: { authorization: API_KEY } });
  t.same(
    all.json().emails.map((one: { type: string }) => one.type),
    ['forgotPassword', 'template'],
    'newest first',
  );
});

t.test('reset returns the outbox to its state after the kickstart', async (t) => {
  const { send, app } = await setUp(t);
  send();
  t.equal(app.standin.email.outbox.list().length, 2);
  t.equal((await app.inject({ method: 'POST', url: '/_standin/reset', headers: { authorization: API_KEY } })).statusCode, 200);
  t.same(
    app.standin.email.outbox.list().map((email) => email.type),
    ['template'],
    'only the email the kickstart sent',
  );
});

t.test('a user without an email address gets no email', async (t) => {
  const { app } = await setUp(t);
  const tenant = app.standin.stores.tenants.get(TENANT_ID)!;
  const { email: _email, ...withoutEmail } = app.standin.stores.users.get(USER)!;
  const result = sendTemplatedEmail(app.standin, { tenant, user: withoutEmail, templateKind: 'passwordless', variables: { code: 'c' } });
  t.match(result, { ok: false, reason: 'noAddress' });
});

t.test('the inspect page lists the latest emails without their links or codes', async (t) => {
  const { send, app } = await setUp(t);
  send();
  const page = await app.inject(`/_standin/inspect?key=${encodeURIComponent(API_KEY)}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, /<h2 id="emails">Latest emails \(2\)<\/h2>/);
  t.match(page.body, /<h3>Reset your password<\/h3>[\s\S]*<dt>To<\/dt><dd>gavin@example.com<\/dd>[\s\S]*<code>forgotPassword<\/code>/);
  t.match(page.body, /kept in the outbox \(no SMTP server\)/);
  t.notMatch(page.body, /CP-1/, 'no changePasswordId, no link');
});
