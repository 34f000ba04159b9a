import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, assertFieldError, assertGeneralError, settle, startTenantStandin } from '../helpers/fixtures.js';

// User and Registration API fields Standin once got wrong, through @fusionauth/typescript-client
// (docs/management-api.md): each subtest is one rule FusionAuth's User and Registration APIs follow.
const API_KEY = 'client-user-fields-api-key-0123456789ab';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const STORE = 'e1000000-0000-4000-8000-000000000001';
const SEEDED_ID = 'e2000000-0000-4000-8000-000000000001';

const standin = await startTenantStandin(t, {
  apiKey: API_KEY,
  tenantId: TENANT,
  requests: [
    { url: `/api/application/${STORE}`, body: { application: { name: 'Store', roles: [{ name: 'user', isDefault: true }] } } },
    {
      url: `/api/user/registration/${SEEDED_ID}`,
      body: { user: { email: 'Seeded.User@Example.COM', password: 'password1' }, registration: { applicationId: STORE } },
    },
  ],
});
const client = new FusionAuthClient(API_KEY, standin.url);
const noUserId = undefined as unknown as string;

t.test('an email is kept lower-cased, and found and logged in with by any case', async (t) => {
  const seeded = await client.retrieveUser(SEEDED_ID);
  t.equal(seeded.response.user!.email, 'seeded.user@example.com', 'a kickstart user');

  const created = await client.createUser(noUserId, { user: { email: 'Jane@Example.com', password: 'password1' } });
  const jane = created.response.user!;
  t.equal(jane.email, 'jane@example.com', 'POST /api/user');
  t.equal((await client.retrieveUserByEmail('JANE@example.COM')).response.user!.id, jane.id);
  t.equal((await client.retrieveUserByLoginId('jAnE@eXaMpLe.CoM')).response.user!.id, jane.id);
  const login = await settle(client.login({ loginId: 'JANE@EXAMPLE.COM', password: 'password1' }));
  t.equal(login.statusCode, 200, 'the Login API finds her');
  t.equal(login.response.user?.email, 'jane@example.com');

  const put = await client.updateUser(jane.id!, { user: { email: 'Jane.Doe@Example.com' } });
  t.equal(put.response.user!.email, 'jane.doe@example.com', 'PUT /api/user/{id}');
  const patch = await client.patchUser(jane.id!, { user: { email: 'JANE.D@EXAMPLE.COM' } });
  t.equal(patch.response.user!.email, 'jane.d@example.com', 'PATCH /api/user/{id}');
  t.equal((await client.retrieveUser(jane.id!)).response.user!.email, 'jane.d@example.com', 'stored so');

  const combined = await client.register(noUserId, {
    user: { email: 'Gilfoyle@Example.com', password: 'password1' },
    registration: { applicationId: STORE },
  });
  t.equal(combined.response.user!.email, 'gilfoyle@example.com', 'POST /api/user/registration (combined)');
  const token = await client.validateJWT(combined.response.token!);
  t.equal(token.response.jwt!.email, 'gilfoyle@example.com', 'the JWT carries the lower-cased email');
});

t.test('a registration keeps the id the request gives it; a malformed or taken one is refused', async (t) => {
  const chosen = 'E3000000-0000-4000-8000-00000000000A';
  const combined = await client.register(noUserId, {
    user: { email: 'dinesh@example.com', password: 'password1' },
    registration: { applicationId: STORE, id: chosen },
  });
  const dinesh = combined.response.user!;
  t.equal(combined.response.registration!.id, chosen.toLowerCase(), 'the combined create answers it, in lower case');
  t.equal((await client.retrieveRegistration(dinesh.id!, STORE)).response.registration!.id, chosen.toLowerCase(), 'and stores it');
  t.equal((await client.retrieveUser(dinesh.id!)).response.user!.registrations![0]!.id, chosen.toLowerCase());

  const existing = await client.createUser(noUserId, { user: { email: 'erlich@example.com', password: 'password1' } });
  const erlich = existing.response.user!.id!;
  const own = 'e3000000-0000-4000-8000-00000000000b';
  const registered = await client.register(erlich, { registration: { applicationId: STORE, id: own } });
  t.equal(registered.response.registration!.id, own, 'registering an existing user answers it');

  assertFieldError(
    t,
    await settle(client.register(erlich, { registration: { applicationId: STORE, id: 'not-a-uuid' } })),
    'registration.id',
    'invalid',
  );
  const taken = await settle(
    client.register(noUserId, { user: { email: 'jared@example.com', password: 'password1' }, registration: { applicationId: STORE, id: own } }),
  );
  assertFieldError(t, taken, 'registration.id', 'duplicate');
  assertEmpty(t, await settle(client.retrieveUserByEmail('jared@example.com')), 404);
});

t.test('a request for an Application authentication token is refused as not modelled, and writes nothing', async (t) => {
  const asked = await settle(
    client.register(noUserId, {
      generateAuthenticationToken: true,
      user: { email: 'monica@example.com', password: 'password1' },
      registration: { applicationId: STORE },
    }),
  );
  assertGeneralError(t, asked, '[NotModelled]');
  assertEmpty(t, await settle(client.retrieveUserByEmail('monica@example.com')), 404);

  const laurie = (await client.createUser(noUserId, { user: { email: 'laurie@example.com', password: 'password1' } })).response.user!.id!;
  assertGeneralError(
    t,
    await settle(client.register(laurie, { generateAuthenticationToken: true, registration: { applicationId: STORE } })),
    '[NotModelled]',
  );
  assertEmpty(t, await settle(client.retrieveRegistration(laurie, STORE)), 404);

  await client.register(laurie, { generateAuthenticationToken: false, registration: { applicationId: STORE } });
  const given = await settle(client.updateRegistration(laurie, { registration: { applicationId: STORE, authenticationToken: 'chosen-token' } }));
  assertGeneralError(t, given, '[NotModelled]');
});

t.test('preferredLanguages must be locales and birthDate a day that exists, on create and update', async (t) => {
  const created = await client.createUser(noUserId, {
    user: { email: 'bighead@example.com', password: 'password1', preferredLanguages: ['en', 'fr_CA', 'es-419'], birthDate: '2024-02-29' },
  });
  t.same(created.response.user!.preferredLanguages, ['en', 'fr_CA', 'es-419'], 'locales stored as given');
  t.equal(created.response.user!.birthDate, '2024-02-29', 'a leap day');
  const id = created.response.user!.id!;

  const create = (user: Record<string, unknown>) =>
    settle(client.createUser(noUserId, { user: { email: 'peter@example.com', password: 'password1', ...user } }));
  assertFieldError(t, await create({ preferredLanguages: ['en', 'not a locale!'] }), 'user.preferredLanguages', 'invalid');
  assertFieldError(t, await create({ preferredLanguages: 'en' }), 'user.preferredLanguages', 'invalid');
  assertFieldError(t, await create({ birthDate: '2023-02-30' }), 'user.birthDate', 'invalid');
  assertFieldError(t, await create({ birthDate: '2023-04-31' }), 'user.birthDate', 'invalid');
  assertEmpty(t, await settle(client.retrieveUserByEmail('peter@example.com')), 404);

  assertFieldError(
    t,
    await settle(client.updateUser(id, { user: { email: 'bighead@example.com', birthDate: '2023-02-29' } })),
    'user.birthDate',
    'invalid',
  );
  assertFieldError(t, await settle(client.patchUser(id, { user: { preferredLanguages: ['xx_YY_ZZ!'] } })), 'user.preferredLanguages', 'invalid');
  t.equal((await client.retrieveUser(id)).response.user!.birthDate, '2024-02-29', 'the refused updates changed nothing');

  const registration = await settle(client.register(id, { registration: { applicationId: STORE, preferredLanguages: ['not a locale!'] } }));
  assertFieldError(t, registration, 'registration.preferredLanguages', 'invalid');
});

t.test('preferredLanguages lists at most 20 locales, on a user and on a registration', async (t) => {
  const twenty = Array.from({ length: 20 }, (_, index) => `l${String.fromCharCode(97 + index)}`);
  const tooMany = [...twenty, 'en'];
  const created = await client.createUser(noUserId, { user: { email: 'russ@example.com', password: 'password1', preferredLanguages: twenty } });
  t.same(created.response.user!.preferredLanguages, twenty, 'twenty are kept');
  const id = created.response.user!.id!;

  const user = { email: 'ron@example.com', password: 'password1', preferredLanguages: tooMany };
  assertFieldError(t, await settle(client.createUser(noUserId, { user })), 'user.preferredLanguages', 'tooMany');
  assertFieldError(
    t,
    await settle(client.register(noUserId, { user, registration: { applicationId: STORE } })),
    'user.preferredLanguages',
    'tooMany',
  );
  assertEmpty(t, await settle(client.retrieveUserByEmail('ron@example.com')), 404);
  assertFieldError(
    t,
    await settle(client.updateUser(id, { user: { email: 'russ@example.com', preferredLanguages: tooMany } })),
    'user.preferredLanguages',
    'tooMany',
  );
  assertFieldError(t, await settle(client.patchUser(id, { user: { preferredLanguages: tooMany } })), 'user.preferredLanguages', 'tooMany');
  t.same((await client.retrieveUser(id)).response.user!.preferredLanguages, twenty, 'the refused updates changed nothing');

  const registration = { applicationId: STORE, preferredLanguages: tooMany };
  assertFieldError(t, await settle(client.register(id, { registration })), 'registration.preferredLanguages', 'tooMany');
  assertFieldError(
    t,
    await settle(client.register(noUserId, { user: { email: 'ron@example.com', password: 'password1' }, registration })),
    'registration.preferredLanguages',
    'tooMany',
  );
  assertEmpty(t, await settle(client.retrieveRegistration(id, STORE)), 404);
  await client.register(id, { registration: { applicationId: STORE, preferredLanguages: twenty } });
  assertFieldError(
    t,
    await settle(client.patchRegistration(id, { registration: { applicationId: STORE, preferredLanguages: tooMany } })),
    'registration.preferredLanguages',
    'tooMany',
  );
  t.same((await client.retrieveRegistration(id, STORE)).response.registration!.preferredLanguages, twenty, 'twenty on a registration');
});
