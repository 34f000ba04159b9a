import { fileURLToPath } from 'node:url';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import t from 'tap';
import { startStandin } from '../../src/index.js';

// A kickstart in the shape of FusionAuth's get-started one (roles as plain strings), with a second tenant and
// users created by combined registrations that name no tenant: it boots, and its users log in with their roles.
const KICKSTART = fileURLToPath(new URL('../fixtures/tenants-string-roles/kickstart.json', import.meta.url));
const API_KEY = 'tenants-string-roles-api-key-0123456789abcdef';
const DEFAULT_TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const PARTNER_TENANT = '5e1f0000-0000-4000-8000-000000000002';
const STORE = '5e1f0000-0000-4000-8000-00000000a001';
const PARTNER_PORTAL = '5e1f0000-0000-4000-8000-00000000a002';

const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: KICKSTART });
t.teardown(() => standin.close());
const jwks = createRemoteJWKSet(new URL(`${standin.url}/.well-known/jwks.json`));

t.test('the kickstart boots: two tenants, the string roles stored as role objects', async (t) => {
  const client = new FusionAuthClient(API_KEY, standin.url);
  t.same((await client.retrieveTenants()).response.tenants!.map((tenant) => tenant.id).sort(), [PARTNER_TENANT, DEFAULT_TENANT].sort());
  const store = (await client.retrieveApplication(STORE)).response.application!;
  t.same(
    store.roles!.map((role) => ({ name: role.name, isDefault: role.isDefault, isSuperRole: role.isSuperRole })),
    [
      { name: 'admin', isDefault: false, isSuperRole: false },
      { name: 'user', isDefault: false, isSuperRole: false },
    ],
  );
  const portal = (await client.retrieveApplication(PARTNER_PORTAL)).response.application!;
  t.same(
    portal.roles!.map((role) => [role.name, role.isDefault]),
    [
      ['partner', false],
      ['viewer', true],
    ],
    'strings and objects mixed',
  );
});

t.test('each seeded user is in the tenant of its application and logs in with its roles', async (t) => {
  const inDefault = new FusionAuthClient(API_KEY, standin.url, DEFAULT_TENANT);
  const admin = await inDefault.login({ loginId: 'admin@example.com', password: 'password', applicationId: STORE });
  t.equal(admin.statusCode, 200);
  const { payload } = await jwtVerify(admin.response.token!, jwks, { issuer: standin.issuer, audience: STORE });
  t.match(payload, { roles: ['admin'], tid: DEFAULT_TENANT, applicationId: STORE });
  t.ok(admin.response.refreshToken, 'the store generates refresh tokens');

  const inPartner = new FusionAuthClient(API_KEY, standin.url, PARTNER_TENANT);
  const partner = await inPartner.login({ loginId: 'partner@example.com', password: 'password', applicationId: PARTNER_PORTAL });
  t.equal(partner.statusCode, 200);
  t.match((await jwtVerify(partner.response.token!, jwks, { audience: PARTNER_PORTAL })).payload, { roles: ['partner'], tid: PARTNER_TENANT });
});
