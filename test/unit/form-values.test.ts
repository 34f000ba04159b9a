import t from 'tap';
import type { FormField } from '../../src/model/form-field.js';
import { readStepValues, registrationRequestOf } from '../../src/model/form-values.js';

// How an advanced registration form's posted values are read and placed (docs/custom-forms.md).
const field = (key: string, more: Partial<FormField> = {}): FormField => ({
  id: key,
  name: key,
  key,
  type: 'string',
  control: 'text',
  confirm: false,
  required: false,
  data: {},
  options: [],
  validator: { enabled: false },
  insertInstant: 0,
  lastUpdateInstant: 0,
  ...more,
});

t.test('each key is a path into the user or the registration, lists and quoted members included', async (t) => {
  t.same(
    registrationRequestOf({
      'user.firstName': 'Jared',
      'user.data.company.name': 'Pied Piper',
      'user.data.tags[1]': 'b',
      'user.data.tags[0]': 'a',
      "registration.data['plan']": 'pro',
      'registration.roles': ['reader'],
    }),
    {
      user: { firstName: 'Jared', data: { company: { name: 'Pied Piper' }, tags: ['a', 'b'] } },
      registration: { data: { plan: 'pro' }, roles: ['reader'] },
    },
  );
});

t.test("a key naming an object's prototype places nothing", async (t) => {
  const request = registrationRequestOf({ 'user.data.__proto__.polluted': 'yes', 'user.data.constructor': 'x' });
  t.same(request, { user: { data: {} }, registration: {} });
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test('values are read in their type, and each refusal has its code', async (t) => {
  const fields = [
    field('user.data.age', { type: 'number', control: 'number' }),
    field('user.data.when', { type: 'date' }),
    field('user.data.mail', { type: 'email', required: true }),
    field('user.data.ok', { type: 'bool', control: 'checkbox' }),
    field('user.preferredLanguages'),
    field('registration.data.plan', { control: 'radio', options: ['free', 'pro'] }),
    field('user.data.code', { validator: { enabled: true, expression: '^[A-Z]{3}$' }, confirm: true }),
  ];
  t.same(
    readStepValues(fields, {
      'user.data.age': ' 42 ',
      'user.data.when': '2020-02-29',
      'user.data.mail': 'a@b',
      'user.preferredLanguages': 'en, fr',
      'registration.data.plan': 'pro',
      'user.data.code': 'ABC',
      'confirm.user.data.code': 'ABC',
    }),
    {
      values: {
        'user.data.age': 42,
        'user.data.when': '2020-02-29',
        'user.data.mail': 'a@b',
        'user.data.ok': false,
        'user.preferredLanguages': ['en', 'fr'],
        'registration.data.plan': 'pro',
        'user.data.code': 'ABC',
      },
      errors: {},
    },
  );
  t.same(
    readStepValues(fields, {
      'user.data.age': 'many',
      'user.data.when': '2020-13-01',
      'user.data.mail': '',
      'registration.data.plan': 'gold',
      'user.data.code': 'abc',
    }).errors,
    {
      'user.data.age': 'couldNotConvert',
      'user.data.when': 'couldNotConvert',
      'user.data.mail': 'blank',
      'registration.data.plan': 'invalid',
      'user.data.code': 'invalid',
    },
  );
  t.same(readStepValues([fields[6]!], { 'user.data.code': 'ABC', 'confirm.user.data.code': 'ABD' }).errors, {
    'confirm.user.data.code': 'doNotMatch',
  });
});
