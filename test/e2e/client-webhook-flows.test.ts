import t from 'tap';
import {
  assertEmpty,
  assertGeneralError,
  CALLBACK,
  CLIENT_TENANT_ID,
  GILFOYLE_ID,
  hiddenFields,
  RICHARD_ID,
  RICHARD_LOGIN,
  settle,
  SPA_APP,
  WEB_APP,
} from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { startWebhookStandin } from '../helpers/webhook-standin.js';

// The other events Standin sends (docs/webhooks.md, "Events"), each from the client call that causes it.

t.test('password change, forgot password and reset, email verification, reactivation', async (t) => {
  const types = [
    'user.password.update',
    'user.password.reset.start',
    'user.password.reset.send',
    'user.password.reset.success',
    'user.email.verified',
    'user.reactivate',
    'user.update',
    'user.email.update',
  ];
  const { client, receiver } = await startWebhookStandin(t, types);
  await client.changePasswordByIdentity({ loginId: RICHARD_LOGIN.loginId, currentPassword: RICHARD_LOGIN.password, password: 'new-password-1' });
  t.equal((await receiver.waitFor('user.password.update')).event.user.id, RICHARD_ID);

  const started = await client.forgotPassword({ loginId: 'gilfoyle', sendForgotPasswordEmail: false });
  t.equal((await receiver.waitFor('user.password.reset.start')).event.user.id, GILFOYLE_ID);
  await client.changePassword(started.response.changePasswordId!, { password: 'reset-password-1' });
  t.equal((await receiver.waitFor('user.password.reset.success')).event.user.id, GILFOYLE_ID);
  t.notOk(
    receiver.received.some((entry) => entry.event.type === 'user.password.reset.send'),
    'no .send without an email',
  );

  await client.verifyEmailAddressByUserId({ userId: GILFOYLE_ID });
  t.match((await receiver.waitFor('user.email.verified')).event.user, { id: GILFOYLE_ID, verified: true });

  await client.deactivateUser(GILFOYLE_ID);
  const reactivated = await client.reactivateUser(GILFOYLE_ID);
  t.equal(reactivated.response.user!.active, true);
  t.match((await receiver.waitFor('user.reactivate')).event.user, { id: GILFOYLE_ID, active: true });
  const update = await receiver.waitFor('user.update');
  t.match(update.event, { user: { active: true }, original: { id: GILFOYLE_ID, active: false } }, 'user.update carries the user before the change');
  t.notOk(
    receiver.received.some((entry) => entry.event.type === 'user.email.update'),
    'no user.email.update while the email stays',
  );
  await client.patchUser(GILFOYLE_ID, { user: { email: 'bertram@example.com' } });
  t.match((await receiver.waitFor('user.email.update')).event, { previousEmail: 'gilfoyle@example.com', user: { email: 'bertram@example.com' } });
});

t.test('registration update and delete, with the registration before the change', async (t) => {
  const { client, receiver } = await startWebhookStandin(t, [
    'user.registration.update',
    'user.registration.delete',
    'user.registration.delete.complete',
  ]);
  await client.patchRegistration(RICHARD_ID, { registration: { applicationId: SPA_APP, data: { tier: 'gold' } } });
  const update = await receiver.waitFor('user.registration.update');
  t.match(update.event, {
    applicationId: SPA_APP,
    tenantId: CLIENT_TENANT_ID,
    registration: { data: { tier: 'gold' } },
    original: { applicationId: SPA_APP, data: {} },
    user: { id: RICHARD_ID },
  });
  await client.deleteRegistration(RICHARD_ID, SPA_APP);
  t.match((await receiver.waitFor('user.registration.delete')).event, { applicationId: SPA_APP, registration: { applicationId: SPA_APP } });
  await receiver.waitFor('user.registration.delete.complete');
});

t.test('a hosted self-registration sends user.create and user.registration.create; refused, it shows an error and writes nothing', async (t) => {
  const { url, client, receiver } = await startWebhookStandin(t, ['user.create', 'user.registration.create', 'user.login.success'], 'Any');
  await client.patchApplication(WEB_APP, { application: { registrationConfiguration: { enabled: true } } });
  const register = async (email: string) => {
    const browser = createHttpBrowser();
    const query = new URLSearchParams({ client_id: WEB_APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 's' });
    const page = await browser.get(`${url}/oauth2/register?${query}`);
    return browser.post(`${url}/oauth2/register`, { ...hiddenFields(await page.text()), 'user.email': email, 'user.password': 'password-123' });
  };
  receiver.respond(500);
  const refused = await register('refused@example.com');
  t.equal(refused.status, 504);
  t.match(await refused.text(), /could not be created/);
  t.equal((await client.searchUsersByQuery({ search: { queryString: 'refused@example.com' } })).response.total ?? 0, 0, 'no user was written');

  receiver.respond(200);
  const accepted = await register('accepted@example.com');
  t.equal(accepted.status, 302);
  const create = await receiver.waitFor('user.create');
  const registration = receiver.received.filter((entry) => entry.event.type === 'user.registration.create').at(-1)!;
  t.equal(create.event.user.email, 'refused@example.com', 'the first, refused, attempt was sent too');
  t.match(registration.event, { applicationId: WEB_APP, user: { email: 'accepted@example.com', registrations: [{ applicationId: WEB_APP }] } });
  t.equal((await receiver.waitFor('user.login.success')).event.user.email, 'accepted@example.com');
});

t.test("a Login API login without ipAddress is recorded at the caller's address; with one, at that address", async (t) => {
  const { client, receiver, app } = await startWebhookStandin(t, ['user.login.success']);
  const unnamed = await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP });
  t.match((await receiver.waitFor('user.login.success')).event, { ipAddress: '127.0.0.1', info: { ipAddress: '127.0.0.1' } });
  const named = await client.login({ ...RICHARD_LOGIN, applicationId: WEB_APP, ipAddress: '203.0.113.9' });
  await app.standin.events.queue.idle();
  const events = receiver.received.filter((entry) => entry.event.type === 'user.login.success');
  t.equal(events.length, 2);
  t.match(events[1]!.event, { ipAddress: '203.0.113.9', info: { ipAddress: '203.0.113.9' } });

  const tokens = (await client.retrieveRefreshTokens(RICHARD_ID)).response.refreshTokens!;
  const addressOf = (id: string | undefined) => tokens.find((token) => token.id === id)?.metaData?.device?.lastAccessedAddress;
  t.equal(addressOf(unnamed.response.refreshTokenId), '127.0.0.1', "the refresh token's device shows the caller's address");
  t.equal(addressOf(named.response.refreshTokenId), '203.0.113.9');
});

t.test("a user event's user is the User API's user: identities, memberships and registrations included", async (t) => {
  const { client, receiver } = await startWebhookStandin(t, ['user.update']);
  const group = (await client.createGroup(null as never, { group: { name: 'Hooli' } })).response.group!;
  await client.createGroupMembers({ members: { [group.id!]: [{ userId: RICHARD_ID }] } });
  await client.patchUser(RICHARD_ID, { user: { firstName: 'Dick' } });
  const { event } = await receiver.waitFor('user.update');
  const { user } = (await client.retrieveUser(RICHARD_ID)).response;
  t.match(user, { identities: [{ type: 'email' }], memberships: [{ groupId: group.id }], registrations: [{ applicationId: String }] });
  t.same(event.user, user, 'the event carries the user exactly as the User API returns it');
});

t.test('a user created with group memberships is sent with them: user.create carries what retrieveUser answers after', async (t) => {
  const { client, receiver, app } = await startWebhookStandin(t, ['user.create', 'user.registration.create']);
  const hooli = (await client.createGroup(null as never, { group: { name: 'Hooli' } })).response.group!;
  const piper = (await client.createGroup(null as never, { group: { name: 'Pied Piper' } })).response.group!;
  const memberships = [{ groupId: hooli.id! }, { groupId: piper.id!, data: { role: 'founder' } }];

  const created = await client.createUser(null as never, { user: { email: 'joined@example.com', password: 'password1', memberships } });
  const userId = created.response.user!.id!;
  const user = (await client.retrieveUser(userId)).response.user!;
  t.match(user.memberships, [{ groupId: hooli.id }, { groupId: piper.id, data: { role: 'founder' } }]);
  const { event } = await receiver.waitFor('user.create');
  t.same(event.user.memberships, user.memberships, 'the same memberships, ids and instants included');

  // The Registration API's call that creates the user too (TSC register with a user) sends both events with them.
  const registered = await client.register(null as never, {
    user: { email: 'registered@example.com', password: 'password1', memberships: [{ groupId: hooli.id! }] },
    registration: { applicationId: WEB_APP },
  });
  const after = (await client.retrieveUser(registered.response.user!.id!)).response.user!;
  t.equal(after.memberships?.length, 1);
  await app.standin.events.queue.idle();
  const sent = receiver.received.filter((entry) => entry.event.user?.id === after.id);
  t.same(sent.map((entry) => entry.event.type).sort(), ['user.create', 'user.registration.create']);
  for (const entry of sent) t.same(entry.event.user.memberships, after.memberships, `${entry.event.type} carries the membership`);
});

t.test("the Registration API records its eventInfo, else the caller's address, on its events, and not on the refresh token", async (t) => {
  const types = ['user.create', 'user.registration.create', 'user.login.success'];
  const { client, receiver, app } = await startWebhookStandin(t, types);
  const sentFor = async (userId: string) => {
    await app.standin.events.queue.idle();
    return Object.fromEntries(receiver.received.filter((entry) => entry.event.user?.id === userId).map((entry) => [entry.event.type, entry.event]));
  };
  const unnamed = await client.register(null as never, {
    user: { email: 'bachman@example.com', password: 'password1' },
    registration: { applicationId: WEB_APP },
  });
  const bachman = unnamed.response.user!.id!;
  const events = await sentFor(bachman);
  t.same(Object.keys(events).sort(), [...types].sort(), 'the combined create sends all three');
  for (const type of types) t.match(events[type], { info: { ipAddress: '127.0.0.1' } }, `${type}: info.ipAddress is the caller's address`);
  t.equal(events['user.login.success'].ipAddress, '127.0.0.1', "user.login.success's ipAddress too");
  t.equal(events['user.login.success'].authenticationType, 'REGISTRATION', 'a login by the Registration API');

  const eventInfo = { ipAddress: '203.0.113.7', userAgent: 'Store/1.0', deviceName: 'Front desk', data: { kiosk: 3 } };
  const named = await client.register(null as never, {
    eventInfo,
    user: { email: 'hanneman@example.com', password: 'password1' },
    registration: { applicationId: WEB_APP },
  });
  const hanneman = named.response.user!.id!;
  const namedEvents = await sentFor(hanneman);
  for (const type of types) t.same(namedEvents[type].info, eventInfo, `${type}: info is the request's eventInfo`);
  t.equal(namedEvents['user.login.success'].ipAddress, '203.0.113.7');

  await client.register(bachman, { eventInfo: { ipAddress: '198.51.100.4' }, registration: { applicationId: SPA_APP } });
  await app.standin.events.queue.idle();
  const existing = receiver.received.find((entry) => entry.event.type === 'user.registration.create' && entry.event.applicationId === SPA_APP);
  t.same(existing?.event.info, { ipAddress: '198.51.100.4' }, 'registering an existing user records it too');

  const tokens = (await client.retrieveRefreshTokens(hanneman)).response.refreshTokens!;
  const token = tokens.find((candidate) => candidate.id === named.response.refreshTokenId);
  t.ok(token, 'the registration issued a refresh token');
  t.notOk(token?.metaData?.device?.lastAccessedAddress, 'which, as FusionAuth stores it, has no device address');

  const malformed = await settle(
    client.register(null as never, {
      eventInfo: 'kiosk' as never,
      user: { email: 'laurie@example.com', password: 'password1' },
      registration: { applicationId: WEB_APP },
    }),
  );
  assertGeneralError(t, malformed, '[invalidJSON]');
  assertEmpty(t, await settle(client.retrieveUserByEmail('laurie@example.com')), 404);
});

t.test("the Registration API's update and delete record their eventInfo, else the caller's address", async (t) => {
  const types = ['user.registration.update', 'user.registration.delete'];
  const { client, receiver, app } = await startWebhookStandin(t, types);
  const infoOf = async (type: string) => {
    await app.standin.events.queue.idle();
    return receiver.received.filter((entry) => entry.event.type === type).map((entry) => entry.event.info);
  };
  await client.patchRegistration(RICHARD_ID, { registration: { applicationId: SPA_APP, data: { tier: 'gold' } } });
  await client.updateRegistration(RICHARD_ID, {
    eventInfo: { ipAddress: '203.0.113.8', userAgent: 'Admin/2.0' },
    registration: { applicationId: SPA_APP, data: { tier: 'silver' } },
  });
  t.same(
    await infoOf('user.registration.update'),
    [{ ipAddress: '127.0.0.1' }, { ipAddress: '203.0.113.8', userAgent: 'Admin/2.0' }],
    'PATCH without eventInfo, PUT with it',
  );

  await client.deleteRegistrationWithRequest(RICHARD_ID, SPA_APP, { eventInfo: { ipAddress: '198.51.100.9', deviceName: 'Ops laptop' } });
  await client.deleteRegistration(RICHARD_ID, WEB_APP);
  t.same(
    await infoOf('user.registration.delete'),
    [{ ipAddress: '198.51.100.9', deviceName: 'Ops laptop' }, { ipAddress: '127.0.0.1' }],
    'DELETE with a body carrying eventInfo, and without a body',
  );
});

t.test("the User API records its eventInfo, else the caller's address, on every event it sends", async (t) => {
  const types = ['user.create', 'user.update', 'user.email.update', 'user.deactivate', 'user.reactivate', 'user.delete'];
  const { client, receiver, app } = await startWebhookStandin(t, types);
  const infoOf = async (type: string) => {
    await app.standin.events.queue.idle();
    return receiver.received.filter((entry) => entry.event.type === type).map((entry) => entry.event.info);
  };
  const kiosk = { ipAddress: '203.0.113.9', userAgent: 'Kiosk/1.0', data: { desk: 2 } };
  const created = await client.createUser(null as never, { eventInfo: kiosk, user: { email: 'erlich@example.com', password: 'password1' } });
  const erlich = created.response.user!.id!;
  await client.createUser(null as never, { user: { email: 'jared@example.com', password: 'password1' } });
  t.same(await infoOf('user.create'), [kiosk, { ipAddress: '127.0.0.1' }], 'createUser with eventInfo, then without');

  await client.updateUser(erlich, { eventInfo: { ipAddress: '198.51.100.2' }, user: { email: 'bachman@example.com' } });
  await client.patchUser(erlich, { user: { firstName: 'Erlich' } });
  t.same(await infoOf('user.update'), [{ ipAddress: '198.51.100.2' }, { ipAddress: '127.0.0.1' }], 'updateUser with eventInfo, patchUser without');
  t.same(await infoOf('user.email.update'), [{ ipAddress: '198.51.100.2' }], 'the email change of that update');

  await client.deactivateUser(erlich);
  await client.reactivateUser(erlich);
  t.same(await infoOf('user.deactivate'), [{ ipAddress: '127.0.0.1' }], 'deactivateUser');
  t.same(await infoOf('user.reactivate'), [{ ipAddress: '127.0.0.1' }], 'reactivateUser');

  await client.deleteUserWithRequest(erlich, { hardDelete: true, eventInfo: { ipAddress: '192.0.2.10', deviceName: 'Ops laptop' } });
  t.same(await infoOf('user.delete'), [{ ipAddress: '192.0.2.10', deviceName: 'Ops laptop' }], 'deleteUserWithRequest');

  const malformed = await settle(
    client.createUser(null as never, { eventInfo: 'kiosk' as never, user: { email: 'dinesh@example.com', password: 'password1' } }),
  );
  assertGeneralError(t, malformed, '[invalidJSON]');
  assertEmpty(t, await settle(client.retrieveUserByEmail('dinesh@example.com')), 404);
});
