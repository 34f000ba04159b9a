import { join } from 'node:path';
import { FormControl, FormDataType, FormType, FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { banner } from '../../src/banner.js';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Form Field and Forms APIs (https://fusionauth.io/docs/apis/custom-forms/form-fields,
// https://fusionauth.io/docs/apis/custom-forms/forms) through @fusionauth/typescript-client against a listening
// Standin: fields and forms stored and answered, the references between them and to applications and tenants,
// global keys only, a restart and a reset (docs/custom-forms.md).
const API_KEY = 'client-forms-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const OTHER_TENANT = 'c0000000-0000-4000-8000-0000000000f2';
const OTHER_KEY = 'client-forms-other-tenant-key-0123456789';
const EMAIL_FIELD = 'f0000000-0000-4000-8000-000000000001';
const PASSWORD_FIELD = 'f0000000-0000-4000-8000-000000000002';
const COLOR_FIELD = 'f0000000-0000-4000-8000-000000000003';
const SIGN_UP = 'f0000000-0000-4000-8000-0000000000a1';
const APPLICATION = 'f0000000-0000-4000-8000-0000000000b1';
const UNKNOWN = 'f0999999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;

const kickstart: Kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: OTHER_KEY, tenantId: OTHER_TENANT }],
  requests: [
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    { url: `/api/form/field/${EMAIL_FIELD}`, body: { field: { name: 'Email', key: 'user.email', required: true } } },
    { url: `/api/form/field/${PASSWORD_FIELD}`, body: { field: { name: 'Password', key: 'user.password', required: true } } },
  ],
};

const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const otherTenant = new FusionAuthClient(OTHER_KEY, standin.url);

t.test('a kickstart’s form field requests are replayed, not ignored', async (t) => {
  t.same(standin.app.seedReport.ignored, []);
  t.match((await client.retrieveFormField(EMAIL_FIELD)).response.field, { id: EMAIL_FIELD, key: 'user.email', type: 'email', required: true });
});

t.test('createFormField answers the field with FusionAuth’s defaults, with or without an id; ids in any case', async (t) => {
  const color = await client.createFormField(COLOR_FIELD.toUpperCase(), {
    field: {
      name: 'Favorite color',
      key: 'user.data.favoriteColor',
      control: FormControl.select,
      options: ['red', 'green', 'blue'],
      validator: { enabled: true, expression: '^[a-z]+$' },
      data: { leftAddOn: 'palette' },
      description: 'The color they like',
    },
  });
  t.equal(color.statusCode, 200);
  t.match(color.response.field, {
    id: COLOR_FIELD,
    name: 'Favorite color',
    key: 'user.data.favoriteColor',
    type: 'string',
    control: 'select',
    options: ['red', 'green', 'blue'],
    required: false,
    confirm: false,
    validator: { enabled: true, expression: '^[a-z]+$' },
    data: { leftAddOn: 'palette' },
    description: 'The color they like',
  });
  t.type(color.response.field!.insertInstant, 'number');
  const generated = (await client.createFormField(NO_ID, { field: { name: 'Nickname', key: 'registration.data.nickname' } })).response.field!;
  t.match(generated.id, /^[0-9a-f-]{36}$/);
  t.match(generated, { type: 'string', control: 'text', options: [], validator: { enabled: false } });
  t.same((await client.retrieveFormField(COLOR_FIELD.toUpperCase())).response.field, color.response.field);
  const all = (await client.retrieveFormFields()).response.fields!;
  t.same(
    all.map((field) => field.name),
    ['Email', 'Favorite color', 'Nickname', 'Password'],
    'every field, by name',
  );
  await client.deleteFormField(generated.id!);
});

t.test('a form field is refused as FusionAuth refuses it', async (t) => {
  assertFieldError(t, await settle(client.createFormField(NO_ID, { field: { key: 'user.data.x' } })), 'field.name', 'blank');
  assertFieldError(t, await settle(client.createFormField(NO_ID, { field: { name: 'No key' } })), 'field.key', 'blank');
  assertFieldError(t, await settle(client.createFormField(NO_ID, { field: { name: 'Odd', key: 'user.shoeSize' } })), 'field.key', 'invalid');
  assertFieldError(t, await settle(client.createFormField(NO_ID, { field: { name: 'Spaced', key: 'user.data.shoe size' } })), 'field.key', 'invalid');
  assertFieldError(t, await settle(client.createFormField(NO_ID, { field: { name: 'Email', key: 'user.data.other' } })), 'field.name', 'duplicate');
  assertFieldError(
    t,
    await settle(client.createFormField(EMAIL_FIELD, { field: { name: 'Again', key: 'user.data.again' } })),
    'fieldId',
    'duplicate',
  );
  assertFieldError(
    t,
    await settle(client.createFormField(NO_ID, { field: { name: 'Terms', key: 'user.data.terms', type: FormDataType.consent } })),
    'field.consentId',
    'missing',
  );
  assertFieldError(
    t,
    await settle(client.createFormField(NO_ID, { field: { name: 'Terms', key: 'user.data.terms', type: FormDataType.consent, consentId: UNKNOWN } })),
    'field.consentId',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.createFormField(NO_ID, { field: { name: 'Pick', key: 'user.data.pick', control: FormControl.radio } })),
    'field.options',
    'missing',
  );
  assertFieldError(
    t,
    await settle(client.createFormField(NO_ID, { field: { name: 'Check', key: 'user.data.check', validator: { enabled: true } } })),
    'field.validator.expression',
    'missing',
  );
  assertFieldError(
    t,
    await settle(
      client.createFormField(NO_ID, { field: { name: 'Check', key: 'user.data.check', validator: { enabled: true, expression: '([a-z' } } }),
    ),
    'field.validator.expression',
    'invalid',
  );
  assertGeneralError(
    t,
    await settle(client.createFormField(NO_ID, { field: { name: 'Odd', key: 'user.data.odd', type: 'color' as FormDataType } })),
    '[invalidJSON]',
  );
  assertFieldError(t, await settle(client.createFormField(NO_ID, {})), 'field', 'blank');
  const bad = await fetch(`${standin.url}/api/form/field`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: '{',
  });
  t.equal(bad.status, 400, 'bad JSON is a 400');
  t.same(
    (await client.retrieveFormFields()).response.fields!.map((field) => field.name),
    ['Email', 'Favorite color', 'Password'],
    'nothing refused was stored',
  );
});

t.test('updateFormField replaces, patchFormField merges; the key, type and control stay', async (t) => {
  const updated = await client.updateFormField(COLOR_FIELD, {
    field: { name: 'Colour', key: 'user.data.colour', type: FormDataType.number, options: ['red', 'blue'], required: true },
  });
  t.match(updated.response.field, {
    id: COLOR_FIELD,
    name: 'Colour',
    key: 'user.data.favoriteColor',
    type: 'string',
    control: 'select',
    required: true,
  });
  t.notOk('description' in updated.response.field!, 'PUT replaced the description away');
  const patched = await client.patchFormField(COLOR_FIELD, { field: { description: 'Patched' } });
  t.match(patched.response.field, { name: 'Colour', description: 'Patched', options: ['red', 'blue'], required: true });
  assertFieldError(t, await settle(client.patchFormField(COLOR_FIELD, { field: { name: 'Email' } })), 'field.name', 'duplicate');
  assertEmpty(t, await settle(client.updateFormField(UNKNOWN, { field: { name: 'X', key: 'user.data.x' } })), 404);
  assertEmpty(t, await settle(client.retrieveFormField(UNKNOWN)), 404);
});

t.test('createForm answers the form; a form names only fields that exist', async (t) => {
  const created = await client.createForm(SIGN_UP, {
    form: { name: 'Sign up', steps: [{ fields: [EMAIL_FIELD.toUpperCase(), PASSWORD_FIELD] }, { fields: [COLOR_FIELD] }], data: { a: 1 } },
  });
  t.equal(created.statusCode, 200);
  t.match(created.response.form, {
    id: SIGN_UP,
    name: 'Sign up',
    type: 'registration',
    steps: [
      { fields: [EMAIL_FIELD, PASSWORD_FIELD], type: 'collectData' },
      { fields: [COLOR_FIELD], type: 'collectData' },
    ],
    data: { a: 1 },
  });
  t.same((await client.retrieveForm(SIGN_UP)).response.form, created.response.form);
  const admin = (await client.createForm(NO_ID, { form: { name: 'Admin user', type: FormType.adminUser, steps: [{ fields: [EMAIL_FIELD] }] } }))
    .response.form!;
  t.same(
    (await client.retrieveForms()).response.forms!.map((form) => [form.name, form.type]),
    [
      ['Admin user', 'adminUser'],
      ['Sign up', 'registration'],
    ],
  );
  assertFieldError(t, await settle(client.createForm(NO_ID, { form: { steps: [{ fields: [EMAIL_FIELD] }] } })), 'form.name', 'blank');
  assertFieldError(t, await settle(client.createForm(NO_ID, { form: { name: 'Empty' } })), 'form.steps', 'missing');
  assertFieldError(t, await settle(client.createForm(NO_ID, { form: { name: 'Bare', steps: [{}] } })), 'form.steps[0].fields', 'missing');
  assertFieldError(
    t,
    await settle(client.createForm(NO_ID, { form: { name: 'Ghost', steps: [{ fields: [EMAIL_FIELD, UNKNOWN] }] } })),
    'form.steps[0].fields[1]',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.createForm(NO_ID, { form: { name: 'Sign up', steps: [{ fields: [EMAIL_FIELD] }] } })),
    'form.name',
    'duplicate',
  );
  assertFieldError(
    t,
    await settle(client.createForm(SIGN_UP, { form: { name: 'Other', steps: [{ fields: [EMAIL_FIELD] }] } })),
    'formId',
    'duplicate',
  );
  assertGeneralError(
    t,
    await settle(client.createForm(NO_ID, { form: { name: 'Odd', type: 'wizard' as FormType, steps: [{ fields: [EMAIL_FIELD] }] } })),
    '[invalidJSON]',
  );

  const patched = await client.patchForm(admin.id!, { form: { name: 'Admin user form', type: FormType.registration } });
  t.match(patched.response.form, { name: 'Admin user form', type: 'adminUser' }, 'the type cannot change');
  const replaced = await client.updateForm(admin.id!, { form: { name: 'Admin user form', steps: [{ fields: [EMAIL_FIELD, COLOR_FIELD] }] } });
  t.same(replaced.response.form!.steps, [{ fields: [EMAIL_FIELD, COLOR_FIELD], type: 'collectData' }]);
  t.same(replaced.response.form!.data, {});
  await client.deleteForm(admin.id!);
  assertEmpty(t, await settle(client.retrieveForm(admin.id!)), 404);
  assertEmpty(t, await settle(client.deleteForm(admin.id!)), 404);
});

t.test('a field in use by a form, and a form an application uses, are not deleted', async (t) => {
  const refused = await settle(client.deleteFormField(COLOR_FIELD));
  assertFieldError(t, refused, 'fieldId', 'inUse');
  t.match(refused.exception!.fieldErrors!.fieldId![0]!.message, /Sign up/);
  t.equal((await client.retrieveFormField(COLOR_FIELD)).statusCode, 200, 'still there');

  await new FusionAuthClient(API_KEY, standin.url, TENANT).createApplication(APPLICATION, {
    application: {
      name: 'Shop',
      oauthConfiguration: { authorizedRedirectURLs: ['http://localhost/cb'] },
      registrationConfiguration: { enabled: true, type: 'advanced' as never, formId: SIGN_UP },
    },
  });
  const inUse = await settle(client.deleteForm(SIGN_UP));
  assertFieldError(t, inUse, 'formId', 'inUse');
  t.match(inUse.exception!.fieldErrors!.formId![0]!.message, /Shop/);
  t.notMatch(banner(standin.app, 0), 'Registration forms that are not rendered', 'the form is one Standin renders');
  const page = await fetch(`${standin.url}/oauth2/register?client_id=${APPLICATION}&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%2Fcb`);
  const html = await page.text();
  t.equal(page.status, 200);
  t.match(html, 'name="user.email"', "the hosted page renders the form's first step");
  t.match(html, 'Step 1 of 2');

  await client.deleteApplication(APPLICATION);
  const second = (await client.createForm(NO_ID, { form: { name: 'Second', steps: [{ fields: [COLOR_FIELD] }] } })).response.form!;
  await client.deleteForm(second.id!);
  assertFieldError(t, await settle(client.deleteFormField(COLOR_FIELD)), 'fieldId', 'inUse');
  assertEmpty(t, await settle(client.deleteFormField(UNKNOWN)), 404);
});

t.test('forms and form fields belong to no tenant: a tenant-bound key may not call their APIs', async (t) => {
  assertEmpty(t, await settle(otherTenant.retrieveFormFields()), 401);
  assertEmpty(t, await settle(otherTenant.retrieveForm(SIGN_UP)), 401);
  assertEmpty(t, await settle(otherTenant.createFormField(NO_ID, { field: { name: 'Theirs', key: 'user.data.theirs' } })), 401);
  assertEmpty(t, await settle(otherTenant.deleteForm(SIGN_UP)), 401);
});

t.test('a reset takes back the fields and forms made since start-up', async (t) => {
  standin.reset();
  assertEmpty(t, await settle(client.retrieveForm(SIGN_UP)), 404);
  t.same(
    (await client.retrieveFormFields()).response.fields!.map((field) => field.id),
    [EMAIL_FIELD, PASSWORD_FIELD],
    'the kickstart’s fields are back, the rest gone',
  );
});

t.test('fields and forms survive a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-forms-');
  const options = {
    db: join(dir, 'standin.db'),
    passwordHashing: 'fast' as const,
    logLevel: 'silent' as const,
    kickstart: {
      ...kickstart,
      requests: [
        ...(kickstart.requests ?? []),
        { url: `/api/form/${SIGN_UP}`, body: { form: { name: 'Kickstarted', steps: [{ fields: [EMAIL_FIELD, PASSWORD_FIELD] }] } } },
      ],
    },
  };
  const first = await startStandin(options);
  t.same(first.app.seedReport.ignored, [], 'the form request was replayed, not ignored');
  const firstClient = new FusionAuthClient(API_KEY, first.url);
  const field = (await firstClient.createFormField(NO_ID, { field: { name: 'Later', key: 'registration.data.later' } })).response.field!;
  const form = (await firstClient.retrieveForm(SIGN_UP)).response.form!;
  await first.close();

  const second = await startStandin(options);
  t.teardown(() => second.close());
  const secondClient = new FusionAuthClient(API_KEY, second.url);
  t.same((await secondClient.retrieveFormField(field.id!)).response.field, field);
  t.same((await secondClient.retrieveForm(SIGN_UP)).response.form, form);
});
