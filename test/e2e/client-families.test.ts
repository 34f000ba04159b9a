import { join } from 'node:path';
import { EmailSecurityType, FamilyRole, FusionAuthClient, type Family, type FamilyMember } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { startSmtpCatcher } from '../helpers/smtp-catcher.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Family API (https://fusionauth.io/docs/apis/families) through @fusionauth/typescript-client against a
// listening Standin: a family made by its adult owner, members added and removed, the children pending a parent, the
// family request email over SMTP, tenant scoping, a user delete, a restart and a reset (docs/consents-and-families.md).
const API_KEY = 'client-families-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const OTHER_TENANT = 'f0000000-0000-4000-8000-0000000000f2';
const OTHER_KEY = 'client-families-other-tenant-key-0123456';
const TEMPLATE = 'f0000000-0000-4000-8000-0000000000e1';
const MOM = 'f0000000-0000-4000-8000-000000000001';
const DAD = 'f0000000-0000-4000-8000-000000000002';
const KID = 'f0000000-0000-4000-8000-000000000003';
const TEEN = 'f0000000-0000-4000-8000-000000000004';
const YOUNG_ADULT = 'f0000000-0000-4000-8000-000000000005';
const NO_BIRTH_DATE = 'f0000000-0000-4000-8000-000000000006';
const STRANGER = 'f0000000-0000-4000-8000-000000000007';
const FAMILY = 'f0000000-0000-4000-8000-0000000000fa';
const UNKNOWN = 'f0999999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;
// Standin's clock for this test: 2030-06-15 (a user born 2009-06-16 is 20, one born 2009-06-15 is 21).
const NOW = Date.UTC(2030, 5, 15, 12);

const smtp = await startSmtpCatcher();
t.teardown(() => smtp.close());

const user = (id: string, email: string, birthDate: string | undefined, more: Record<string, unknown> = {}) => ({
  url: `/api/user/${id}`,
  body: { user: { email, password: 'password', firstName: email.split('@')[0], ...(birthDate ? { birthDate } : {}), ...more } },
});

const kickstart: Kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: OTHER_KEY, tenantId: OTHER_TENANT }],
  requests: [
    {
      url: `/api/email/template/${TEMPLATE}`,
      body: {
        emailTemplate: {
          name: 'Family request',
          defaultSubject: 'Join your child’s family[#if parent??], ${parent.firstName}[/#if]',
          defaultTextTemplate: 'Please create a family.',
          defaultHtmlTemplate: '<p>Please create a family.</p>',
        },
      },
    },
    user(MOM, 'mom@example.com', '1990-01-01'),
    user(DAD, 'dad@example.com', '1988-03-03'),
    user(KID, 'kid@example.com', '2022-02-02', { parentEmail: 'Mom@Example.com' }),
    user(TEEN, 'teen@example.com', '2015-05-05', { parentEmail: 'mom@example.com' }),
    user(YOUNG_ADULT, 'young@example.com', '2009-06-16'),
    user(NO_BIRTH_DATE, 'nobody@example.com', undefined),
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    {
      url: `/api/user/${STRANGER}`,
      tenantId: OTHER_TENANT,
      body: { user: { email: 'stranger@example.com', password: 'password', birthDate: '1970-01-01' } },
    },
  ],
};

const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart, now: () => NOW });
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const inTenant = new FusionAuthClient(API_KEY, standin.url, TENANT);
const otherTenant = new FusionAuthClient(OTHER_KEY, standin.url);
const userIds = (family: Family | undefined) => family!.members!.map((member: FamilyMember) => [member.userId, member.role, member.owner]);

const created = await client.createFamily(FAMILY.toUpperCase(), { familyMember: { userId: MOM, role: FamilyRole.Adult } });

t.test('createFamily makes a family whose first member, an adult, is its owner', async (t) => {
  t.equal(created.statusCode, 200);
  const family = created.response.family!;
  t.equal(family.id, FAMILY, 'the id is answered in lower case');
  t.match(family.members, [{ userId: MOM, role: 'Adult', owner: true, insertInstant: NOW, lastUpdateInstant: NOW }]);
  t.same((await client.retrieveFamilyMembersByFamilyId(FAMILY)).response.family, family);
  t.same((await client.retrieveFamilies(MOM)).response.families, [family]);
  t.same((await client.retrieveFamilies(DAD)).response.families, [], 'a user in no family has none');
  const random = await client.createFamily(NO_ID, { familyMember: { userId: DAD, role: FamilyRole.Adult } });
  t.match(random.response.family!.id, /^[0-9a-f-]{36}$/);
  await client.removeUserFromFamily(random.response.family!.id!, DAD);
  assertEmpty(t, await settle(client.retrieveFamilyMembersByFamilyId(random.response.family!.id!)), 404);
});

t.test('bad families are refused with FusionAuth’s codes', async (t) => {
  assertFieldError(t, await settle(client.createFamily(NO_ID, {})), 'familyMember', 'missing');
  const missing = await settle(client.createFamily(NO_ID, { familyMember: {} }));
  assertFieldError(t, missing, 'familyMember.role', 'missing');
  assertFieldError(t, missing, 'familyMember.userId', 'missing');
  assertFieldError(
    t,
    await settle(client.createFamily(NO_ID, { familyMember: { userId: KID, role: FamilyRole.Child } })),
    'familyMember.role',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.createFamily(NO_ID, { familyMember: { userId: UNKNOWN, role: FamilyRole.Adult } })),
    'familyMember.userId',
    'invalid',
  );
  assertFieldError(t, await settle(client.createFamily(FAMILY, { familyMember: { userId: DAD, role: FamilyRole.Adult } })), 'familyId', 'duplicate');
  assertFieldError(
    t,
    await settle(client.createFamily(NO_ID, { familyMember: { userId: MOM, role: FamilyRole.Adult } })),
    'familyMember.userId',
    'alreadyInFamily',
  );
  assertFieldError(
    t,
    await settle(client.createFamily(NO_ID, { familyMember: { userId: YOUNG_ADULT, role: FamilyRole.Adult } })),
    'familyMember.userId',
    'tooYoung',
  );
  assertFieldError(
    t,
    await settle(client.createFamily(NO_ID, { familyMember: { userId: NO_BIRTH_DATE, role: FamilyRole.Adult } })),
    'familyMember.userId',
    'tooYoung',
  );
  assertGeneralError(t, await settle(client.createFamily(NO_ID, { familyMember: { userId: DAD, role: 'Parent' as FamilyRole } })), '[invalidJSON]');
  t.same((await client.retrieveFamilies(DAD)).response.families, [], 'nothing was written');
});

t.test('addUserToFamily adds members; a child is never an owner and no longer pending; updateFamily changes a member', async (t) => {
  t.same(
    (await client.retrievePendingChildren('MOM@example.com')).response.users!.map((pending) => pending.id),
    [KID, TEEN],
    'both children name mom as their parent, in any case',
  );
  const withKid = await client.addUserToFamily(FAMILY, { familyMember: { userId: KID, role: FamilyRole.Child, owner: true } });
  t.same(userIds(withKid.response.family), [
    [MOM, 'Adult', true],
    [KID, 'Child', false],
  ]);
  t.notOk((await client.retrieveUser(KID)).response.user!.parentEmail, 'the child’s parentEmail is cleared');
  t.same(
    (await client.retrievePendingChildren('mom@example.com')).response.users!.map((pending) => pending.id),
    [TEEN],
    'and it is no longer pending',
  );
  const withDad = await client.updateFamily(FAMILY, { familyMember: { userId: DAD, role: FamilyRole.Adult, owner: true } });
  t.same(userIds(withDad.response.family), [
    [MOM, 'Adult', true],
    [KID, 'Child', false],
    [DAD, 'Adult', true],
  ]);
  const changed = await client.updateFamily(FAMILY, { familyMember: { userId: KID, role: FamilyRole.Teen } });
  t.same(userIds(changed.response.family)[1], [KID, 'Teen', false], 'a member’s role changes');

  assertEmpty(t, await settle(client.updateFamily(UNKNOWN, { familyMember: { userId: TEEN, role: FamilyRole.Teen } })), 404);
  // A teen or child may be in several families; an adult in one.
  const dadsFamily = await client.createFamily(NO_ID, { familyMember: { userId: YOUNG_ADULT, role: FamilyRole.Adult } }).catch(() => undefined);
  t.notOk(dadsFamily, 'too young to own one');
  assertFieldError(t, await settle(client.updateFamily(FAMILY, { familyMember: { role: FamilyRole.Adult } })), 'familyMember.userId', 'missing');
});

t.test('removeUserFromFamily takes a member out; unknown members and families are 404', async (t) => {
  const removed = await client.removeUserFromFamily(FAMILY, DAD);
  t.equal(removed.statusCode, 200);
  t.same(
    userIds((await client.retrieveFamilyMembersByFamilyId(FAMILY)).response.family).map(([id]) => id),
    [MOM, KID],
  );
  assertEmpty(t, await settle(client.removeUserFromFamily(FAMILY, DAD)), 404);
  assertEmpty(t, await settle(client.removeUserFromFamily(UNKNOWN, MOM)), 404);
  assertEmpty(t, await settle(client.retrieveFamilyMembersByFamilyId(UNKNOWN)), 404);
  assertEmpty(t, await settle(client.retrieveFamilies(UNKNOWN)), 404);
  assertGeneralError(t, await settle(client.retrieveFamilies(undefined as unknown as string)), '[invalid]');
  assertFieldError(t, await settle(client.retrievePendingChildren('')), 'parentEmail', 'blank');
});

t.test('a tenant-bound key sees its tenant’s families only', async (t) => {
  assertEmpty(t, await settle(otherTenant.retrieveFamilyMembersByFamilyId(FAMILY)), 404);
  assertEmpty(t, await settle(otherTenant.retrieveFamilies(MOM)), 404);
  assertEmpty(t, await settle(otherTenant.removeUserFromFamily(FAMILY, KID)), 404);
  t.same((await otherTenant.retrievePendingChildren('mom@example.com')).response.users, [], 'another tenant’s children are not listed');
  assertFieldError(
    t,
    await settle(otherTenant.createFamily(NO_ID, { familyMember: { userId: DAD, role: FamilyRole.Adult } })),
    'familyMember.userId',
    'invalid',
  );
  const theirs = await otherTenant.createFamily(NO_ID, { familyMember: { userId: STRANGER, role: FamilyRole.Adult } });
  t.equal(theirs.statusCode, 200, 'its own adults may make one');
  assertFieldError(
    t,
    await settle(client.updateFamily(theirs.response.family!.id!, { familyMember: { userId: TEEN, role: FamilyRole.Teen } })),
    'familyMember.userId',
    'invalid',
  );
});

t.test('sendFamilyRequestEmail emails the parent with the tenant’s template once the family configuration is on', async (t) => {
  standin.clearEmails();
  const off = await inTenant.sendFamilyRequestEmail({ parentEmail: 'mom@example.com' });
  t.equal(off.statusCode, 200, 'without a family configuration FusionAuth sends nothing and says nothing');
  t.same(standin.emails(), []);
  assertFieldError(t, await settle(inTenant.sendFamilyRequestEmail({ parentEmail: ' ' })), 'parentEmail', 'blank');
  assertGeneralError(t, await settle(client.sendFamilyRequestEmail({ parentEmail: 'mom@example.com' })), '[TenantIdRequired]');

  await inTenant.patchTenant(TENANT, {
    tenant: {
      emailConfiguration: { host: '127.0.0.1', port: smtp.port, security: EmailSecurityType.NONE, defaultFromEmail: 'noreply@standin.test' },
      familyConfiguration: { enabled: true, familyRequestEmailTemplateId: TEMPLATE },
    },
  });
  await inTenant.sendFamilyRequestEmail({ parentEmail: 'mom@example.com' });
  const email = await standin.waitForEmail({ type: 'familyRequest' });
  t.equal(email.to.address, 'mom@example.com');
  t.equal(email.subject, 'Join your child’s family, mom', 'the parent, a user of the tenant, is the template’s parent');
  const { mail, envelopeTo } = await smtp.next();
  t.same(envelopeTo, ['mom@example.com']);
  t.equal(mail.subject, 'Join your child’s family, mom', 'and it went out over SMTP');

  standin.clearEmails();
  await otherTenant.sendFamilyRequestEmail({ parentEmail: 'new-parent@example.com' });
  t.same(standin.emails(), [], 'the other tenant has no family configuration');
  await inTenant.sendFamilyRequestEmail({ parentEmail: 'new-parent@example.com' });
  t.equal((await standin.waitForEmail({ type: 'familyRequest' })).subject, 'Join your child’s family', 'a parent who is no user yet');
  await smtp.next();

  const refused = await settle(inTenant.patchTenant(TENANT, { tenant: { familyConfiguration: { parentEmailRequired: true } } }));
  assertGeneralError(t, refused, '[NotModelled]');
});

t.test('deleting a user takes them out of their families', async (t) => {
  await client.deleteUserWithRequest(KID, { hardDelete: true });
  t.same(
    userIds((await client.retrieveFamilyMembersByFamilyId(FAMILY)).response.family).map(([id]) => id),
    [MOM],
  );
});

t.test('a reset takes back the families made since start-up', async (t) => {
  standin.reset();
  assertEmpty(t, await settle(client.retrieveFamilyMembersByFamilyId(FAMILY)), 404);
  t.same(
    (await client.retrievePendingChildren('mom@example.com')).response.users!.map((pending) => pending.id),
    [KID, TEEN],
    'the kickstart’s children pend again',
  );
});

t.test('families survive a restart of a file-backed Standin, and a kickstart’s family requests are replayed', async (t) => {
  const dir = temporaryFolder(t, 'standin-families-');
  const options = {
    db: join(dir, 'standin.db'),
    passwordHashing: 'fast' as const,
    logLevel: 'silent' as const,
    now: () => NOW,
    kickstart: {
      ...kickstart,
      requests: [
        ...(kickstart.requests ?? []),
        { url: `/api/user/family/${FAMILY}`, body: { familyMember: { userId: MOM, role: 'Adult' } } },
        { method: 'PUT' as const, url: `/api/user/family/${FAMILY}`, body: { familyMember: { userId: KID, role: 'Child' } } },
      ],
    },
  };
  const first = await startStandin(options);
  t.same(first.app.seedReport.ignored, [], 'the family requests were replayed, not ignored');
  const made = (await new FusionAuthClient(API_KEY, first.url).retrieveFamilyMembersByFamilyId(FAMILY)).response.family;
  t.same(userIds(made), [
    [MOM, 'Adult', true],
    [KID, 'Child', false],
  ]);
  await first.close();

  const second = await startStandin(options);
  t.teardown(() => second.close());
  t.same((await new FusionAuthClient(API_KEY, second.url).retrieveFamilyMembersByFamilyId(FAMILY)).response.family, made);
});
