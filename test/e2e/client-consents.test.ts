import { join } from 'node:path';
import { ConsentStatus, FusionAuthClient, type Consent } from '@fusionauth/typescript-client';
import t from 'tap';
import { banner } from '../../src/banner.js';
import { startStandin } from '../../src/index.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { startSmtpCatcher } from '../helpers/smtp-catcher.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Consent and User Consent APIs (https://fusionauth.io/docs/apis/consents) through
// @fusionauth/typescript-client against a listening Standin: consents, grants, revocation, the consent email to the
// giver over SMTP, tenant scoping, deletes that cascade, a restart and a reset (docs/consents-and-families.md).
const API_KEY = 'client-consents-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const OTHER_TENANT = 'c0000000-0000-4000-8000-0000000000f2';
const OTHER_KEY = 'client-consents-other-tenant-key-0123456789';
const TEMPLATE = 'c0000000-0000-4000-8000-0000000000e1';
const PARENT = 'c0000000-0000-4000-8000-000000000001';
const CHILD = 'c0000000-0000-4000-8000-000000000002';
const STRANGER = 'c0000000-0000-4000-8000-000000000003';
const KNOWN = 'c0000000-0000-4000-8000-0000000000c1';
const UNKNOWN = 'c0999999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;

const smtp = await startSmtpCatcher();
t.teardown(() => smtp.close());

const kickstart: Kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: OTHER_KEY, tenantId: OTHER_TENANT }],
  requests: [
    {
      url: `/api/email/template/${TEMPLATE}`,
      body: {
        emailTemplate: {
          name: 'Consent given',
          defaultSubject: 'You gave consent, ${user.firstName}',
          defaultTextTemplate: 'Thanks ${user.firstName}',
          defaultHtmlTemplate: '<p>Thanks ${user.firstName}</p>',
        },
      },
    },
    {
      method: 'PATCH',
      url: `/api/tenant/${TENANT}`,
      body: { tenant: { emailConfiguration: { host: '127.0.0.1', port: smtp.port, security: 'NONE', defaultFromEmail: 'noreply@standin.test' } } },
    },
    { url: `/api/user/${PARENT}`, body: { user: { email: 'parent@example.com', firstName: 'Pat', password: 'password' } } },
    { url: `/api/user/${CHILD}`, body: { user: { email: 'child@example.com', firstName: 'Kit', password: 'password' } } },
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    { url: `/api/user/${STRANGER}`, tenantId: OTHER_TENANT, body: { user: { email: 'stranger@example.com', password: 'password' } } },
  ],
};

const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const otherTenant = new FusionAuthClient(OTHER_KEY, standin.url);

const patient = await client.createConsent(KNOWN, {
  consent: {
    name: 'Patient Consent',
    consentEmailTemplateId: TEMPLATE.toUpperCase(),
    countryMinimumAgeForSelfConsent: { de: 21 },
    defaultMinimumAgeForSelfConsent: 18,
    values: ['Written', 'Verbal'],
  },
});

t.test('createConsent answers the consent, with FusionAuth’s defaults, with or without an id', async (t) => {
  t.equal(patient.statusCode, 200);
  t.match(patient.response.consent, {
    id: KNOWN,
    name: 'Patient Consent',
    consentEmailTemplateId: TEMPLATE,
    countryMinimumAgeForSelfConsent: { de: 21 },
    defaultMinimumAgeForSelfConsent: 18,
    emailPlus: { enabled: false, minimumTimeToSendEmailInHours: 24, maximumTimeToSendEmailInHours: 48 },
    multipleValuesAllowed: false,
    values: ['Written', 'Verbal'],
    data: {},
  });
  t.type(patient.response.consent!.insertInstant, 'number');
  const random = await client.createConsent(NO_ID, { consent: { name: 'Newsletter', defaultMinimumAgeForSelfConsent: 13 } });
  t.match(random.response.consent!.id, /^[0-9a-f-]{36}$/);
  t.same((await client.retrieveConsent(KNOWN)).response.consent, patient.response.consent);
  t.same(
    (await client.retrieveConsents()).response.consents!.map((consent: Consent) => consent.name),
    ['Newsletter', 'Patient Consent'],
  );
  assertEmpty(t, await settle(client.retrieveConsent(UNKNOWN)), 404);
  await client.deleteConsent(random.response.consent!.id!);
});

t.test('bad consents are refused with FusionAuth’s codes', async (t) => {
  assertFieldError(
    t,
    await settle(client.createConsent(NO_ID, { consent: { name: ' ', defaultMinimumAgeForSelfConsent: 1 } })),
    'consent.name',
    'blank',
  );
  assertFieldError(
    t,
    await settle(client.createConsent(NO_ID, { consent: { name: 'No age' } })),
    'consent.defaultMinimumAgeForSelfConsent',
    'missing',
  );
  assertFieldError(
    t,
    await settle(client.createConsent(NO_ID, { consent: { name: 'Negative', defaultMinimumAgeForSelfConsent: -1 } })),
    'consent.defaultMinimumAgeForSelfConsent',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.createConsent(NO_ID, { consent: { name: 'Patient Consent', defaultMinimumAgeForSelfConsent: 1 } })),
    'consent.name',
    'duplicate',
  );
  assertFieldError(
    t,
    await settle(client.createConsent(KNOWN, { consent: { name: 'Again', defaultMinimumAgeForSelfConsent: 1 } })),
    'consentId',
    'duplicate',
  );
  assertFieldError(
    t,
    await settle(
      client.createConsent(NO_ID, { consent: { name: 'Bad template', defaultMinimumAgeForSelfConsent: 1, consentEmailTemplateId: UNKNOWN } }),
    ),
    'consent.consentEmailTemplateId',
    'invalid',
  );
  const emailPlusWithoutTemplates = {
    name: 'Email plus',
    defaultMinimumAgeForSelfConsent: 1,
    emailPlus: { enabled: true, minimumTimeToSendEmailInHours: 0 },
  };
  const refused = await settle(client.createConsent(NO_ID, { consent: emailPlusWithoutTemplates }));
  assertFieldError(t, refused, 'consent.consentEmailTemplateId', 'missing');
  assertFieldError(t, refused, 'consent.emailPlus.emailTemplateId', 'missing');
  assertFieldError(t, refused, 'consent.emailPlus.minimumTimeToSendEmailInHours', 'invalid');
  const emailPlus = { enabled: true, emailTemplateId: TEMPLATE };
  assertGeneralError(
    t,
    await settle(
      client.createConsent(NO_ID, {
        consent: { name: 'Email plus', defaultMinimumAgeForSelfConsent: 1, consentEmailTemplateId: TEMPLATE, emailPlus },
      }),
    ),
    '[NotModelled]',
  );
  t.same(
    (await client.retrieveConsents()).response.consents!.map((consent: Consent) => consent.name),
    ['Patient Consent'],
    'nothing was written',
  );
});

t.test('updateConsent replaces, patchConsent merges; searchConsents finds by name', async (t) => {
  const made = (await client.createConsent(NO_ID, { consent: { name: 'Marketing', defaultMinimumAgeForSelfConsent: 16, values: ['Email'] } }))
    .response.consent!;
  const patched = (await client.patchConsent(made.id!, { consent: { values: ['Email', 'Phone'], multipleValuesAllowed: true } })).response.consent!;
  t.match(patched, { name: 'Marketing', defaultMinimumAgeForSelfConsent: 16, values: ['Email', 'Phone'], multipleValuesAllowed: true });
  t.equal(patched.insertInstant, made.insertInstant);
  const replaced = (await client.updateConsent(made.id!, { consent: { name: 'Marketing mail', defaultMinimumAgeForSelfConsent: 17 } })).response
    .consent!;
  t.match(replaced, { name: 'Marketing mail', defaultMinimumAgeForSelfConsent: 17, values: [], multipleValuesAllowed: false });
  assertFieldError(
    t,
    await settle(client.updateConsent(made.id!, { consent: { name: 'Patient Consent', defaultMinimumAgeForSelfConsent: 1 } })),
    'consent.name',
    'duplicate',
  );
  assertEmpty(t, await settle(client.updateConsent(UNKNOWN, { consent: { name: 'x', defaultMinimumAgeForSelfConsent: 1 } })), 404);

  const found = await client.searchConsents({ search: { name: 'market*' } });
  t.same(
    found.response.consents!.map((consent: Consent) => consent.name),
    ['Marketing mail'],
  );
  t.equal(found.response.total, 1);
  const byGet = await client.searchConsentsByParameters('consent', 25, 'insertInstant DESC', 0);
  t.same(
    byGet.response.consents!.map((consent: Consent) => consent.name),
    ['Patient Consent'],
  );
  assertFieldError(t, await settle(client.searchConsents({ search: { orderBy: 'values' } })), 'search.orderBy', 'invalid');
  await client.deleteConsent(made.id!);
  assertEmpty(t, await settle(client.retrieveConsent(made.id!)), 404);
  assertEmpty(t, await settle(client.deleteConsent(made.id!)), 404);
});

t.test('createUserConsent grants a consent given by another user, and emails the giver', async (t) => {
  standin.clearEmails();
  const granted = await client.createUserConsent(NO_ID, {
    userConsent: { consentId: KNOWN, userId: CHILD, giverUserId: PARENT.toUpperCase(), values: ['Written'] },
  });
  t.equal(granted.statusCode, 200);
  const userConsent = granted.response.userConsent!;
  t.match(userConsent, {
    consentId: KNOWN,
    userId: CHILD,
    giverUserId: PARENT,
    status: ConsentStatus.Active,
    values: ['Written'],
    consent: { name: 'Patient Consent' },
  });
  t.equal(userConsent.insertInstant, userConsent.lastUpdateInstant);

  const email = await standin.waitForEmail({ type: 'consent' });
  t.equal(email.to.address, 'parent@example.com', 'the giver is told');
  t.equal(email.subject, 'You gave consent, Pat');
  const { mail, envelopeTo } = await smtp.next();
  t.same(envelopeTo, ['parent@example.com']);
  t.equal(mail.subject, 'You gave consent, Pat', 'and it went out over SMTP');

  t.same((await client.retrieveUserConsent(userConsent.id!)).response.userConsent, userConsent);
  t.same((await client.retrieveUserConsents(CHILD)).response.userConsents, [userConsent]);
  t.same((await client.retrieveUserConsents(PARENT)).response.userConsents, [], 'the giver received none');

  standin.clearEmails();
  const self = await client.createUserConsent(NO_ID, {
    userConsent: { consentId: KNOWN, userId: PARENT, giverUserId: PARENT, status: ConsentStatus.Revoked },
  });
  t.equal(self.response.userConsent!.status, ConsentStatus.Revoked, 'a status may be given');
  t.same(standin.emails({ type: 'consent' }), [], 'a self-consent emails no one');
});

t.test('bad grants are refused with FusionAuth’s codes', async (t) => {
  const missing = await settle(client.createUserConsent(NO_ID, { userConsent: {} }));
  assertFieldError(t, missing, 'userConsent.consentId', 'missing');
  assertFieldError(t, missing, 'userConsent.userId', 'missing');
  assertFieldError(t, missing, 'userConsent.giverUserId', 'missing');
  assertFieldError(t, await settle(client.createUserConsent(NO_ID, {})), 'userConsent', 'missing');
  const unknown = await settle(client.createUserConsent(NO_ID, { userConsent: { consentId: UNKNOWN, userId: UNKNOWN, giverUserId: UNKNOWN } }));
  assertFieldError(t, unknown, 'userConsent.consentId', 'invalid');
  assertFieldError(t, unknown, 'userConsent.userId', 'invalid');
  assertFieldError(t, unknown, 'userConsent.giverUserId', 'invalid');
  const grant = { consentId: KNOWN, userId: CHILD, giverUserId: PARENT };
  assertFieldError(
    t,
    await settle(client.createUserConsent(NO_ID, { userConsent: { ...grant, values: ['Written', 'Verbal'] } })),
    'userConsent.values',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.createUserConsent(NO_ID, { userConsent: { ...grant, values: ['Shouted'] } })),
    'userConsent.values',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.createUserConsent(NO_ID, { userConsent: { ...grant, giverUserId: STRANGER } })),
    'userConsent.giverUserId',
    'invalid',
  );
  assertGeneralError(
    t,
    await settle(client.createUserConsent(NO_ID, { userConsent: { ...grant, status: 'Pending' as ConsentStatus } })),
    '[invalidJSON]',
  );
  const first = (await client.createUserConsent(NO_ID, { userConsent: grant })).response.userConsent!;
  assertFieldError(t, await settle(client.createUserConsent(first.id!, { userConsent: grant })), 'userConsentId', 'duplicate');
  assertGeneralError(t, await settle(client.retrieveUserConsents(undefined as unknown as string)), '[invalid]');
  assertEmpty(t, await settle(client.retrieveUserConsents(UNKNOWN)), 404);
  assertEmpty(t, await settle(client.retrieveUserConsent(UNKNOWN)), 404);
});

t.test('updateUserConsent and patchUserConsent change the status and values only; revokeUserConsent sets Revoked', async (t) => {
  const made = (await client.createUserConsent(NO_ID, { userConsent: { consentId: KNOWN, userId: CHILD, giverUserId: PARENT, values: ['Written'] } }))
    .response.userConsent!;
  standin.clock.advance(60);
  const updated = (
    await client.updateUserConsent(made.id!, {
      userConsent: { status: ConsentStatus.Active, values: ['Verbal'], userId: PARENT, consentId: UNKNOWN },
    })
  ).response.userConsent!;
  t.match(updated, {
    id: made.id,
    userId: CHILD,
    consentId: KNOWN,
    values: ['Verbal'],
    status: ConsentStatus.Active,
    insertInstant: made.insertInstant,
  });
  t.ok(updated.lastUpdateInstant! > made.lastUpdateInstant!, 'lastUpdateInstant moves');
  assertFieldError(t, await settle(client.updateUserConsent(made.id!, { userConsent: { values: ['Verbal'] } })), 'userConsent.status', 'missing');
  assertFieldError(
    t,
    await settle(client.updateUserConsent(made.id!, { userConsent: { status: ConsentStatus.Active, values: ['Sung'] } })),
    'userConsent.values',
    'invalid',
  );
  const patched = (await client.patchUserConsent(made.id!, { userConsent: { status: ConsentStatus.Revoked } })).response.userConsent!;
  t.match(patched, { status: ConsentStatus.Revoked, values: ['Verbal'] }, 'a patch keeps the values it does not name');

  await client.patchUserConsent(made.id!, { userConsent: { status: ConsentStatus.Active } });
  const revoked = await client.revokeUserConsent(made.id!);
  t.equal(revoked.statusCode, 200);
  t.equal((await client.retrieveUserConsent(made.id!)).response.userConsent!.status, ConsentStatus.Revoked, 'revoked, not deleted');
  assertEmpty(t, await settle(client.revokeUserConsent(UNKNOWN)), 404);
  assertEmpty(t, await settle(client.updateUserConsent(UNKNOWN, { userConsent: { status: ConsentStatus.Active } })), 404);
});

t.test('a tenant-bound key sees its tenant’s user consents only, and may not define consents', async (t) => {
  const ofChild = (await client.retrieveUserConsents(CHILD)).response.userConsents!;
  t.ok(ofChild.length > 0);
  assertEmpty(t, await settle(otherTenant.retrieveUserConsents(CHILD)), 404);
  assertEmpty(t, await settle(otherTenant.retrieveUserConsent(ofChild[0]!.id!)), 404);
  assertEmpty(t, await settle(otherTenant.revokeUserConsent(ofChild[0]!.id!)), 404);
  assertFieldError(
    t,
    await settle(otherTenant.createUserConsent(NO_ID, { userConsent: { consentId: KNOWN, userId: CHILD, giverUserId: CHILD } })),
    'userConsent.userId',
    'invalid',
  );
  const own = await otherTenant.createUserConsent(NO_ID, { userConsent: { consentId: KNOWN, userId: STRANGER, giverUserId: STRANGER } });
  t.equal(own.statusCode, 200, 'its own users may be granted consents');
  assertEmpty(t, await settle(otherTenant.retrieveConsents()), 401);
  assertEmpty(t, await settle(otherTenant.createConsent(NO_ID, { consent: { name: 'Theirs', defaultMinimumAgeForSelfConsent: 1 } })), 401);
  assertEmpty(t, await settle(otherTenant.searchConsents({ search: {} })), 401);
});

t.test('deleting a consent deletes its grants; deleting a user deletes the consents they gave and received', async (t) => {
  const temporary = (await client.createConsent(NO_ID, { consent: { name: 'Temporary', defaultMinimumAgeForSelfConsent: 0 } })).response.consent!;
  const grant = (await client.createUserConsent(NO_ID, { userConsent: { consentId: temporary.id!, userId: CHILD, giverUserId: CHILD } })).response
    .userConsent!;
  await client.deleteConsent(temporary.id!);
  assertEmpty(t, await settle(client.retrieveUserConsent(grant.id!)), 404);

  const giver = (
    await new FusionAuthClient(API_KEY, standin.url, TENANT).createUser(NO_ID, { user: { email: 'aunt@example.com', password: 'password' } })
  ).response.user!;
  const given = (await client.createUserConsent(NO_ID, { userConsent: { consentId: KNOWN, userId: CHILD, giverUserId: giver.id! } })).response
    .userConsent!;
  await client.deleteUserWithRequest(giver.id!, { hardDelete: true });
  assertEmpty(t, await settle(client.retrieveUserConsent(given.id!)), 404);
  t.ok((await client.retrieveUserConsents(CHILD)).response.userConsents!.every((consent) => consent.giverUserId !== giver.id));
});

t.test('a reset takes back the consents and grants made since start-up', async (t) => {
  await client.createConsent(NO_ID, { consent: { name: 'Made after start', defaultMinimumAgeForSelfConsent: 0 } });
  standin.reset();
  t.same((await client.retrieveConsents()).response.consents, [], 'no consent was in the kickstart');
  assertEmpty(t, await settle(client.retrieveConsent(KNOWN)), 404);
  t.same((await client.retrieveUserConsents(CHILD)).response.userConsents, []);
});

t.test('consents and grants survive a restart; a kickstart’s Email Plus is stored and listed in the banner', async (t) => {
  const dir = temporaryFolder(t, 'standin-consents-');
  const emailPlus = { enabled: true, emailTemplateId: TEMPLATE, minimumTimeToSendEmailInHours: 1, maximumTimeToSendEmailInHours: 2 };
  const options = {
    db: join(dir, 'standin.db'),
    passwordHashing: 'fast' as const,
    logLevel: 'silent' as const,
    kickstart: {
      ...kickstart,
      requests: [
        ...(kickstart.requests ?? []),
        {
          url: `/api/consent/${KNOWN}`,
          body: { consent: { name: 'Kickstarted', defaultMinimumAgeForSelfConsent: 0, consentEmailTemplateId: TEMPLATE, emailPlus } },
        },
      ],
    },
  };
  const first = await startStandin(options);
  t.same(first.app.seedReport.ignored, [], 'the consent request was replayed, not ignored');
  t.match(banner(first.app, 0), /consent\.emailPlus\.enabled {2}on consent Kickstarted/);
  const firstClient = new FusionAuthClient(API_KEY, first.url);
  const granted = (await firstClient.createUserConsent(NO_ID, { userConsent: { consentId: KNOWN, userId: CHILD, giverUserId: CHILD } })).response
    .userConsent!;
  await first.close();

  const second = await startStandin(options);
  t.teardown(() => second.close());
  const secondClient = new FusionAuthClient(API_KEY, second.url);
  t.match((await secondClient.retrieveConsent(KNOWN)).response.consent, { name: 'Kickstarted', emailPlus });
  t.same((await secondClient.retrieveUserConsent(granted.id!)).response.userConsent, granted);
});
