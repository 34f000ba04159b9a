import { FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertFieldError, settle } from '../helpers/fixtures.js';

// What the User and Registration APIs do not let a caller set (https://fusionauth.io/docs/apis/users,
// https://fusionauth.io/docs/apis/registrations): a role its application does not have, a registration's
// verification, a user's `active` flag. Through FusionAuth's TypeScript client.
const API_KEY = 'managed-fields-api-key-0123456789abcdef';
const APP = 'b7000000-0000-4000-8000-0000000000a1';
const OTHER_APP = 'b7000000-0000-4000-8000-0000000000a2';
const VERIFIED_APP = 'b7000000-0000-4000-8000-0000000000a3';
const FUSIONAUTH_APP = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';
const PASSWORD = 'password1';

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    apiKeys: [{ key: API_KEY }],
    requests: [
      { url: `/api/application/${APP}`, body: { application: { name: 'Pied Piper', roles: [{ name: 'member' }, { name: 'admin' }] } } },
      { url: `/api/application/${OTHER_APP}`, body: { application: { name: 'Hooli', roles: [{ name: 'viewer' }] } } },
      {
        url: `/api/application/${VERIFIED_APP}`,
        body: { application: { name: 'Verified', roles: [{ name: 'member' }], verifyRegistration: true } },
      },
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const newUser = async (email: string) =>
  (await client.createUser(null as unknown as string, { user: { email, password: PASSWORD } })).response.user!.id!;

t.test('a registration holds only roles its application has', async (t) => {
  const roleError = (role: string) => `The role [${role}] does not exist in the Application indicated by the [registration.applicationId] property.`;
  const created = await settle(
    client.register(null as unknown as string, {
      user: { email: 'dinesh@example.com', password: PASSWORD },
      registration: { applicationId: APP, roles: ['member', 'nonexistent-role'] },
    }),
  );
  assertFieldError(t, created, 'registration.roles', 'invalid');
  t.equal(created.exception?.fieldErrors?.['registration.roles']?.[0]?.message, roleError('nonexistent-role'));
  t.equal((await settle(client.retrieveUserByEmail('dinesh@example.com'))).statusCode, 404, 'nor was the user created');

  const userId = await newUser('gilfoyle@example.com');
  assertFieldError(
    t,
    await settle(client.register(userId, { registration: { applicationId: OTHER_APP, roles: ['admin'] } })),
    'registration.roles',
    'invalid',
  );
  await client.register(userId, { registration: { applicationId: APP, roles: ['member'] } });
  assertFieldError(
    t,
    await settle(client.updateRegistration(userId, { registration: { applicationId: APP, roles: ['superuser'] } })),
    'registration.roles',
    'invalid',
  );
  const login = await client.login({ loginId: 'gilfoyle@example.com', password: PASSWORD, applicationId: APP });
  t.same(decodeJwt(login.response.token!).roles, ['member'], 'the token holds the roles the application has');
  await client.register(userId, { registration: { applicationId: FUSIONAUTH_APP, roles: ['admin', 'user_manager'] } });
  t.pass("the built-in FusionAuth application's admin roles are not checked");
});

t.test('a registration update keeps its verification', async (t) => {
  const userId = await newUser('jared@example.com');
  await client.register(userId, { registration: { applicationId: VERIFIED_APP, roles: ['member'] } });
  const registration = async () => (await client.retrieveRegistration(userId, VERIFIED_APP)).response.registration!;
  t.equal((await registration()).verified, false, 'unverified: the application verifies registrations');
  await client.updateRegistration(userId, { registration: { applicationId: VERIFIED_APP, roles: ['member'], verified: true } });
  t.equal((await registration()).verified, false, 'a PUT does not verify it');
  await client.patchRegistration(userId, { registration: { applicationId: VERIFIED_APP, verified: true } });
  t.equal((await registration()).verified, false, 'nor does a PATCH');
});

t.test('a user update neither reactivates the user nor sets their last login', async (t) => {
  const userId = await newUser('russ@example.com');
  await client.login({ loginId: 'russ@example.com', password: PASSWORD });
  const lastLogin = (await client.retrieveUser(userId)).response.user!.lastLoginInstant;
  t.type(lastLogin, 'number');
  await client.deactivateUser(userId);
  await client.updateUser(userId, { user: { email: 'russ@example.com', firstName: 'Russ', lastLoginInstant: 1 } });
  const updated = (await client.retrieveUser(userId)).response.user!;
  t.match(updated, { active: false, firstName: 'Russ', lastLoginInstant: lastLogin }, 'a PUT keeps active and lastLoginInstant');
  t.equal((await settle(client.login({ loginId: 'russ@example.com', password: PASSWORD }))).statusCode, 404, 'still cannot log in');
  await client.patchUser(userId, { user: { active: true } });
  t.equal((await client.retrieveUser(userId)).response.user!.active, false, 'nor a PATCH');
  await client.reactivateUser(userId);
  t.equal((await client.retrieveUser(userId)).response.user!.active, true, 'reactivateUser does');
});
