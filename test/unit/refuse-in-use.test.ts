import t from 'tap';
import { refuseInUse } from '../../src/manage/refuse-in-use.js';
import { refusal } from '../helpers/api-refusal.js';

// Every API's [inUse] answer comes from refuseInUse, so its wording is pinned here to the letter.

t.test('named by others: 400 [inUse]<field>, "The <kind> is in use by <users> and cannot be deleted."', async (t) => {
  t.same(
    refusal(() => {
      refuseInUse('themeId', 'theme', ['tenant [Default]', 'application [Shop]']);
    }),
    {
      status: 400,
      errors: {
        fieldErrors: {
          themeId: [{ code: '[inUse]themeId', message: 'The theme is in use by tenant [Default], application [Shop] and cannot be deleted.' }],
        },
        generalErrors: [],
      },
    },
  );
  t.equal(
    refusal(() => {
      refuseInUse('themeId', 'theme', []);
    }),
    undefined,
    'named by none: deleted',
  );
});

t.test('an API that says how they hold it gives its own relation', async (t) => {
  t.same(
    refusal(() => {
      refuseInUse('entityTypeId', 'Entity Type', ['2 entities'], 'is the type of');
    })?.errors?.fieldErrors,
    {
      entityTypeId: [{ code: '[inUse]entityTypeId', message: 'The Entity Type is the type of 2 entities and cannot be deleted.' }],
    },
  );
});
