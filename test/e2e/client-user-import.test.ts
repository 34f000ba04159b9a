import { createHash, pbkdf2Sync, randomBytes, randomUUID } from 'node:crypto';
import { FusionAuthClient, type User } from '@fusionauth/typescript-client';
import bcrypt from 'bcryptjs';
import t from 'tap';
import { oauthLogin } from '../helpers/e2e-oauth-login.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';
import {
  CALLBACK,
  CLIENT_API_KEY,
  CLIENT_TENANT_ID,
  failureOf,
  RICHARD_LOGIN,
  startClientStandin,
  statusOf,
  WEB_APP,
  WEB_SECRET,
} from '../helpers/fixtures.js';

// FusionAuth's Import Users API through @fusionauth/typescript-client (https://fusionauth.io/docs/apis/users,
// "Import Users"), with hashes made here as FusionAuth's schemes define them
// (https://fusionauth.io/docs/reference/password-hashes).

const PASSWORD = 'correct horse battery staple';
const WRONG = 'correct horse battery stapler';

/** `digest(password ‖ salt)`, digested again until `factor` digests were made, in base64 (salted-md5, salted-sha256). */
function iteratedDigest(algorithm: 'md5' | 'sha256', password: string, salt: Buffer, factor: number): string {
  let result = Buffer.concat([Buffer.from(password), salt]);
  for (let round = 0; round < factor; round += 1) result = createHash(algorithm).update(result).digest();
  return result.toString('base64');
}

/** A user of the import, with `password` hashed in `scheme`, registered to WEB_APP. */
function hashedUser(email: string, scheme: string): User {
  const salt = randomBytes(16);
  const base = { email, active: true, registrations: [{ applicationId: WEB_APP }] };
  switch (scheme) {
    case 'salted-pbkdf2-hmac-sha256':
      return {
        ...base,
        encryptionScheme: scheme,
        factor: 24000,
        salt: salt.toString('base64'),
        password: pbkdf2Sync(PASSWORD, salt, 24000, 32, 'sha256').toString('base64'),
      };
    case 'salted-pbkdf2-hmac-sha256-512':
      return {
        ...base,
        encryptionScheme: scheme,
        factor: 10000,
        salt: salt.toString('base64'),
        password: pbkdf2Sync(PASSWORD, salt, 10000, 64, 'sha256').toString('base64'),
      };
    case 'salted-sha256':
      return {
        ...base,
        encryptionScheme: scheme,
        factor: 20000,
        salt: salt.toString('base64'),
        password: iteratedDigest('sha256', PASSWORD, salt, 20000),
      };
    case 'salted-md5':
      return { ...base, encryptionScheme: scheme, factor: 3, salt: salt.toString('base64'), password: iteratedDigest('md5', PASSWORD, salt, 3) };
    case 'bcrypt': {
      // `$2a$10$` + 22 salt characters + 31 hash characters, split as FusionAuth reads them ("Password Hashes", "Bcrypt").
      const whole = bcrypt.hashSync(PASSWORD, 10);
      return { ...base, encryptionScheme: scheme, factor: 10, salt: whole.slice(7, 29), password: whole.slice(29) };
    }
    default:
      throw new Error(scheme);
  }
}

const SCHEMES = ['salted-pbkdf2-hmac-sha256', 'salted-pbkdf2-hmac-sha256-512', 'bcrypt', 'salted-sha256', 'salted-md5'];

t.test('Import Users API through the FusionAuth client', async (t) => {
  const { url, client, app } = await startClientStandin(t);
  const login = (loginId: string, password: string) => statusOf(client.login({ loginId, password, applicationId: WEB_APP }));
  const exists = async (email: string) => (await statusOf(client.retrieveUserByEmail(email))) === 200;

  t.test('users imported with hashes in each built-in scheme log in with their password, and only with it', async (t) => {
    const users = SCHEMES.map((scheme) => hashedUser(`${scheme}@example.com`, scheme));
    const imported = await client.importUsers({ users });
    t.equal(imported.statusCode, 200);
    t.equal(imported.response, undefined, 'no body');
    for (const scheme of SCHEMES) {
      t.equal(await login(`${scheme}@example.com`, PASSWORD), 200, `${scheme}: the right password`);
      t.equal(await login(`${scheme}@example.com`, WRONG), 404, `${scheme}: a wrong password`);
    }
    const user = (await client.retrieveUserByEmail('bcrypt@example.com')).response.user!;
    for (const field of ['password', 'salt', 'encryptionScheme', 'factor']) t.notOk(field in user, `no ${field} on the user`);
    t.same(
      user.registrations?.map((registration) => registration.applicationId),
      [WEB_APP],
    );
  });

  t.test('an MD5 hash with no salt, converted from hex to base64 as FusionAuth asks', async (t) => {
    // md5("password"), the hex a legacy table would hold ("Password Hashes", "MD5").
    const hash = Buffer.from('5f4dcc3b5aa765d61d8327deb882cf99', 'hex').toString('base64');
    await client.importUsers({
      users: [{ username: 'legacy-md5', active: true, encryptionScheme: 'salted-md5', factor: 1, salt: '', password: hash }],
    });
    t.equal(await login('legacy-md5', 'password'), 202, 'logs in (not registered to the application)');
    t.equal(await login('legacy-md5', 'Password'), 404);
  });

  t.test('a plaintext password (no encryptionScheme) is hashed on import', async (t) => {
    await client.importUsers({
      users: [{ email: 'plain@example.com', active: true, password: PASSWORD, registrations: [{ applicationId: WEB_APP }] }],
    });
    t.equal(await login('plain@example.com', PASSWORD), 200);
    t.equal(await login('plain@example.com', WRONG), 404);
  });

  t.test('an imported hash logs in on the hosted login page', async (t) => {
    await client.importUsers({ users: [hashedUser('hosted@example.com', 'salted-pbkdf2-hmac-sha256')] });
    const settings = { url, clientId: WEB_APP, clientSecret: WEB_SECRET, redirectUri: CALLBACK };
    const tokens = await oauthLogin(settings, { loginId: 'hosted@example.com', password: PASSWORD });
    t.ok(tokens.access_token);
    await t.rejects(oauthLogin(settings, { loginId: 'hosted@example.com', password: WRONG }));
  });

  t.test('registrations and group memberships are imported with the user', async (t) => {
    const group = (await client.createGroup(null as unknown as string, { group: { name: 'Imported staff' } })).response.group!.id!;
    const registrationId = randomUUID();
    await client.importUsers({
      users: [
        {
          ...hashedUser('member@example.com', 'salted-md5'),
          registrations: [{ id: registrationId, applicationId: WEB_APP, roles: ['user'] }],
          memberships: [{ groupId: group }],
        },
      ],
    });
    const user = (await client.retrieveUserByEmail('member@example.com')).response.user!;
    t.same(
      user.registrations?.map(({ id, roles }) => ({ id, roles })),
      [{ id: registrationId, roles: ['user'] }],
    );
    t.same(
      user.memberships?.map(({ groupId }) => groupId),
      [group],
    );

    const unknownGroup = await failureOf(
      client.importUsers({ users: [{ ...hashedUser('nonmember@example.com', 'salted-md5'), memberships: [{ groupId: randomUUID() }] }] }),
    );
    t.equal(unknownGroup.exception.fieldErrors['user.memberships[0].groupId'][0].code, '[invalid]user.memberships[0].groupId');
    t.notOk(await exists('nonmember@example.com'));
  });

  t.test('the current password of a change is checked against the imported hash', async (t) => {
    await client.importUsers({ users: [hashedUser('changer@example.com', 'salted-pbkdf2-hmac-sha256')] });
    const wrong = await statusOf(
      client.changePasswordByIdentity({ loginId: 'changer@example.com', currentPassword: WRONG, password: 'a-new-password-1' }),
    );
    t.equal(wrong, 400, 'a wrong current password');
    const changed = await client.changePasswordByIdentity({
      loginId: 'changer@example.com',
      currentPassword: PASSWORD,
      password: 'a-new-password-1',
    });
    t.equal(changed.statusCode, 200);
    t.equal(await login('changer@example.com', 'a-new-password-1'), 200);
    t.equal(await login('changer@example.com', PASSWORD), 404);
  });

  t.test('a user imported without `active` is inactive, as FusionAuth documents', async (t) => {
    const { active: _active, ...user } = hashedUser('inactive@example.com', 'salted-md5');
    await client.importUsers({ users: [user] });
    t.equal((await client.retrieveUserByEmail('inactive@example.com')).response.user?.active, false);
    t.equal(await login('inactive@example.com', PASSWORD), 404);
  });

  t.test('one bad user writes no user', async (t) => {
    const good = () => hashedUser('good@example.com', 'salted-pbkdf2-hmac-sha256');
    const duplicateOfRichard = { ...hashedUser(RICHARD_LOGIN.loginId, 'salted-md5') };

    const validated = await failureOf(client.importUsers({ users: [good(), duplicateOfRichard], validateDbConstraints: true }));
    t.equal(validated.statusCode, 400);
    t.equal(validated.exception.fieldErrors['user.email'][0].code, '[duplicate]user.email');
    t.notOk(await exists('good@example.com'), 'the good user was not written');

    const fast = await failureOf(client.importUsers({ users: [good(), duplicateOfRichard] }));
    t.equal(fast.statusCode, 400, 'never a 500');
    t.equal(fast.exception.generalErrors[0].code, '[ImportRequestFailed]');
    t.notOk(await exists('good@example.com'));

    const twice = await failureOf(client.importUsers({ users: [good(), good()] }));
    t.equal(twice.statusCode, 400);
    t.equal(twice.exception.fieldErrors['user.email'][0].code, '[duplicate]user.email', 'a duplicate within the request');
    t.notOk(await exists('good@example.com'));

    const unknownApplication = await failureOf(
      client.importUsers({ users: [good(), { ...good(), email: 'other@example.com', registrations: [{ applicationId: randomUUID() }] }] }),
    );
    t.equal(unknownApplication.statusCode, 400);
    t.equal(unknownApplication.exception.fieldErrors['user.registration.applicationId'][0].code, '[invalid]user.registration.applicationId');
    t.notOk(await exists('good@example.com'));

    const noLoginId = await failureOf(client.importUsers({ users: [good(), { password: PASSWORD }] }));
    t.equal(noLoginId.statusCode, 400);
    t.equal(noLoginId.exception.fieldErrors['user.email'][0].code, '[blank]user.email');
    t.notOk(await exists('good@example.com'));

    const none = await failureOf(client.importUsers({ users: [] }));
    t.equal(none.exception.fieldErrors.users[0].code, '[missing]users');
  });

  t.test('a scheme Standin does not model is refused, never stored', async (t) => {
    for (const encryptionScheme of ['phpass-md5', 'example-salted-sha512']) {
      const refused = await failureOf(
        client.importUsers({ users: [{ email: 'plugin@example.com', active: true, encryptionScheme, salt: 'c2FsdA==', password: 'aGFzaA==' }] }),
      );
      t.equal(refused.statusCode, 400, encryptionScheme);
      t.equal(refused.exception.generalErrors[0].code, '[NotModelled]');
      t.match(refused.exception.generalErrors[0].message, encryptionScheme);
    }
    t.notOk(await exists('plugin@example.com'));
    const malformed = await failureOf(
      client.importUsers({
        users: [{ email: 'plugin@example.com', active: true, encryptionScheme: 'salted-sha256', factor: 1, salt: '', password: 'bm90IGEgaGFzaA==' }],
      }),
    );
    t.equal(malformed.exception.fieldErrors['user.password'][0].code, '[invalid]user.password', 'a hash of the wrong length');
  });

  t.test("an imported hash becomes the tenant's scheme on login only under modifyEncryptionSchemeOnLogin", async (t) => {
    const storedHash = async (email: string) => app.standin.stores.users.passwordHash((await client.retrieveUserByEmail(email)).response.user!.id!);
    await client.importUsers({ users: [hashedUser('kept@example.com', 'bcrypt'), hashedUser('upgraded@example.com', 'bcrypt')] });
    t.equal(await login('kept@example.com', PASSWORD), 200);
    t.notMatch(await storedHash('kept@example.com'), /^\$argon2id\$/, 'kept as imported by default');

    await client.patchTenant(CLIENT_TENANT_ID, { tenant: { passwordEncryptionConfiguration: { modifyEncryptionSchemeOnLogin: true } } });
    t.teardown(() => client.patchTenant(CLIENT_TENANT_ID, { tenant: { passwordEncryptionConfiguration: { modifyEncryptionSchemeOnLogin: false } } }));
    t.equal(await login('upgraded@example.com', WRONG), 404);
    t.notMatch(await storedHash('upgraded@example.com'), /^\$argon2id\$/, 'a wrong password changes nothing');
    t.equal(await login('upgraded@example.com', PASSWORD), 200);
    t.match(await storedHash('upgraded@example.com'), /^\$argon2id\$/, 'rehashed with the right password');
    t.equal(await login('upgraded@example.com', PASSWORD), 200, 'and still logs in');
  });

  t.test('the users go to the tenant the request names', async (t) => {
    const other = (await client.createTenant(null as unknown as string, { tenant: { name: 'Imported' } })).response.tenant!.id!;
    const scoped = new FusionAuthClient(CLIENT_API_KEY, url).setTenantId(other);
    await scoped.importUsers({ users: [{ ...hashedUser('scoped@example.com', 'salted-md5'), registrations: [], tenantId: CLIENT_TENANT_ID }] });
    t.equal(await statusOf(scoped.retrieveUserByEmail('scoped@example.com')), 200, 'in the header tenant, whatever users[x].tenantId says');
    t.equal(await statusOf(new FusionAuthClient(CLIENT_API_KEY, url).setTenantId(CLIENT_TENANT_ID).retrieveUserByEmail('scoped@example.com')), 404);

    const unnamed = await failureOf(client.importUsers({ users: [hashedUser('nowhere@example.com', 'salted-md5')] }));
    t.equal(unnamed.statusCode, 400, 'two tenants and none named');
    t.equal(unnamed.exception.generalErrors[0].code, '[TenantIdRequired]');

    await client.importUsers({ users: [{ ...hashedUser('own@example.com', 'salted-md5'), registrations: [], tenantId: other }] });
    t.equal(await statusOf(scoped.retrieveUserByEmail('own@example.com')), 200, "the user's own tenantId when the request names none");

    // The same email in two tenants is two users.
    await scoped.importUsers({ users: [{ ...hashedUser(RICHARD_LOGIN.loginId, 'salted-md5'), registrations: [] }] });
    t.equal(await statusOf(scoped.retrieveUserByEmail(RICHARD_LOGIN.loginId)), 200);
  });
});

// https://fusionauth.io/docs/extend/events-and-webhooks/events/user-bulk-create: transactional, tenant-scoped,
// with every user created; the import sends no user.create.
t.test('an import sends user.bulk.create with its users, and a transactional refusal writes none', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, ['user.bulk.create', 'user.create'], 'Any');
  receiver.respond(500);
  const refused = await failureOf(client.importUsers({ users: [hashedUser('refused@example.com', 'salted-md5')] }));
  t.equal(refused.statusCode, 504);
  t.equal(await statusOf(client.retrieveUserByEmail('refused@example.com')), 404, 'nothing was written');

  receiver.respond(200);
  receiver.received.length = 0;
  const registrationId = randomUUID();
  await client.importUsers({
    users: [
      { ...hashedUser('first@example.com', 'salted-md5'), registrations: [{ id: registrationId, applicationId: WEB_APP }] },
      hashedUser('second@example.com', 'bcrypt'),
    ],
    eventInfo: { deviceName: 'migration' },
  });
  const event = (await receiver.waitFor('user.bulk.create')).event;
  t.equal(event.tenantId, CLIENT_TENANT_ID);
  t.same(
    event.users.map((user: User) => user.email),
    ['first@example.com', 'second@example.com'],
  );
  t.equal(event.users[0].registrations[0].id, registrationId, 'with the registrations written with them');
  t.equal(event.users[0].id, (await client.retrieveUserByEmail('first@example.com')).response.user!.id, 'the ids the users were written with');
  const second = (await client.retrieveUserByEmail('second@example.com')).response.user!;
  t.equal(event.users[1].registrations[0].id, second.registrations![0]!.id, 'a registration id Standin chose is the one written');
  for (const field of ['password', 'salt', 'encryptionScheme', 'factor']) t.notOk(field in event.users[1], `no ${field} in the payload`);
  t.equal(event.info.deviceName, 'migration');
  t.notOk(
    receiver.received.some((entry) => entry.event.type === 'user.create'),
    'no user.create',
  );
});
