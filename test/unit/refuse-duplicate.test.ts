import t from 'tap';
import { FieldErrors } from '../../src/errors.js';
import { addDuplicateId, addDuplicateName, refuseDuplicateId, refuseDuplicateName } from '../../src/model/refuse-duplicate.js';
import { refusal } from '../helpers/api-refusal.js';

// Every API's [duplicate] answer comes from these four, so their wording is pinned here to the letter.

t.test('an id taken: 400 [duplicate]<field>, "<subject> with Id [<id>] already exists."', async (t) => {
  t.same(
    refusal(() => {
      refuseDuplicateId(true, 'entityTypeId', 'An Entity Type', 'abc');
    }),
    {
      status: 400,
      errors: {
        fieldErrors: { entityTypeId: [{ code: '[duplicate]entityTypeId', message: 'An Entity Type with Id [abc] already exists.' }] },
        generalErrors: [],
      },
    },
  );
  t.equal(
    refusal(() => {
      refuseDuplicateId(false, 'entityTypeId', 'An Entity Type', 'abc');
    }),
    undefined,
    'a free id passes',
  );
});

t.test('a name another object holds: refused; the object itself may keep its name', async (t) => {
  const theme = { id: 'mine', name: 'Dark' };
  t.same(
    refusal(() => {
      refuseDuplicateName('other', theme, 'theme.name', 'A theme');
    })?.errors?.fieldErrors,
    {
      'theme.name': [{ code: '[duplicate]theme.name', message: 'A theme with name [Dark] already exists.' }],
    },
  );
  t.equal(
    refusal(() => {
      refuseDuplicateName('mine', theme, 'theme.name', 'A theme');
    }),
    undefined,
    'its own name',
  );
  t.equal(
    refusal(() => {
      refuseDuplicateName(undefined, theme, 'theme.name', 'A theme');
    }),
    undefined,
    'a free name',
  );
});

t.test('the collecting forms add beside the other refusals and throw nothing themselves', async (t) => {
  const errors = new FieldErrors().add('key.algorithm', 'invalid', 'bad');
  addDuplicateId(errors, 'keyId', 'A key', 'k1');
  addDuplicateName(errors, 'key.name', 'A key', 'Signing');
  t.same(
    refusal(() => {
      errors.throwIfAny();
    })?.errors?.fieldErrors,
    {
      'key.algorithm': [{ code: '[invalid]key.algorithm', message: 'bad' }],
      keyId: [{ code: '[duplicate]keyId', message: 'A key with Id [k1] already exists.' }],
      'key.name': [{ code: '[duplicate]key.name', message: 'A key with name [Signing] already exists.' }],
    },
  );
});
