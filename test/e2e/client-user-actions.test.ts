import { join } from 'node:path';
import { FusionAuthClient, type LoginResponse } from '@fusionauth/typescript-client';
import t, { type Test } from 'tap';
import { startStandin, type KickstartRequest } from '../../src/index.js';
import { assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { createHttpBrowser } from '../helpers/http-browser.js';
import { hiddenFields } from '../helpers/login.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// User actions (docs/user-actions.md) through @fusionauth/typescript-client and the hosted pages over HTTP: an action
// whose user action prevents login locks the user out of every login until it expires on Standin's clock or is
// canceled; and comments on users.
const API_KEY = 'user-actions-api-key-0123456789abcdef';
const TENANT = 'a7e09513-a3f5-401c-9685-34ab6c552453';
const APP = 'a7000000-0000-4000-8000-000000000001';
const SECRET = 'user-actions-secret-0123456789abcdef';
const USER = 'a7100000-0000-4000-8000-000000000001';
const ADMIN = 'a7100000-0000-4000-8000-000000000002';
const LOCK = 'a7200000-0000-4000-8000-000000000001';
const EMAIL = 'gavin@example.com';
const PASSWORD = 'nucleus-is-best-1';
const CALLBACK = 'http://localhost:5999/callback';
const T0 = Date.UTC(2027, 0, 1);
const ONE_HOUR = 3600_000;
// FusionAuth's expiry for "until canceled", 9223372036854775807 (Java's Long.MAX_VALUE), as JavaScript holds it.
const UNTIL_CANCELED = 2 ** 63;

async function start(t: Test, options: { db?: string; requests?: KickstartRequest[] } = {}) {
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    now: () => T0,
    ...(options.db === undefined ? {} : { db: options.db }),
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }],
      requests: [
        {
          url: `/api/application/${APP}`,
          body: {
            application: {
              name: 'Hooli',
              loginConfiguration: { generateRefreshTokens: true },
              oauthConfiguration: {
                clientSecret: SECRET,
                authorizedRedirectURLs: [CALLBACK],
                enabledGrants: ['authorization_code', 'password', 'refresh_token'],
                generateRefreshTokens: true,
              },
            },
          },
        },
        { url: `/api/user/registration/${USER}`, body: { user: { email: EMAIL, password: PASSWORD }, registration: { applicationId: APP } } },
        { url: `/api/user/${ADMIN}`, body: { user: { email: 'admin@example.com', password: 'admin-password-123' } } },
        ...(options.requests ?? []),
      ],
    },
  });
  t.teardown(() => standin.close());
  return { standin, client: new FusionAuthClient(API_KEY, standin.url) };
}

async function defineLock(client: FusionAuthClient) {
  const created = await client.createUserAction(LOCK, {
    userAction: { name: 'Lock account', preventLogin: true, temporal: true, userNotificationsEnabled: true, options: [{ name: 'Full' }] },
  });
  return created.response.userAction!;
}

const lock = (client: FusionAuthClient, expiry: number, extra: Record<string, unknown> = {}) =>
  client.actionUser({
    broadcast: false,
    action: { actioneeUserId: USER, actionerUserId: ADMIN, userActionId: LOCK, expiry, comment: 'Too many jokes', ...extra },
  });

const login = (client: FusionAuthClient) => settle(client.login({ loginId: EMAIL, password: PASSWORD, applicationId: APP }));

t.test('a user action is stored as sent, with FusionAuth defaults, and read back one or all', async (t) => {
  const { client } = await start(t);
  const action = await defineLock(client);
  t.match(action, {
    id: LOCK,
    name: 'Lock account',
    active: true,
    preventLogin: true,
    temporal: true,
    userNotificationsEnabled: true,
    sendEndEvent: true,
    userEmailingEnabled: false,
    options: [{ name: 'Full' }],
    insertInstant: T0,
  });
  t.same((await client.retrieveUserAction(LOCK)).response.userAction, action);
  t.same((await client.retrieveUserActions()).response.userActions, [action]);

  const updated = await client.updateUserAction(LOCK, { userAction: { name: 'Suspend', preventLogin: true, temporal: true } });
  t.match(updated.response.userAction, { name: 'Suspend', userNotificationsEnabled: false, insertInstant: T0 });
  const patched = await client.patchUserAction(LOCK, { userAction: { localizedNames: { de: 'Sperren' } } });
  t.match(patched.response.userAction, { name: 'Suspend', preventLogin: true, localizedNames: { de: 'Sperren' } });

  assertFieldError(t, await settle(client.createUserAction(null as never, { userAction: { temporal: true } })), 'userAction.name', 'blank');
  assertFieldError(
    t,
    await settle(client.createUserAction(null as never, { userAction: { name: 'Ban', preventLogin: true } })),
    'userAction.temporal',
    'invalid',
  );
  assertFieldError(t, await settle(client.createUserAction(LOCK, { userAction: { name: 'Again' } })), 'userActionId', 'duplicate');
  t.equal((await settle(client.retrieveUserAction('a7200000-0000-4000-8000-0000000000ff'))).statusCode, 404);
});

t.test('a kickstart defines user actions and takes them, as FusionAuth replays its requests', async (t) => {
  const { client } = await start(t, {
    requests: [
      { url: `/api/user-action/${LOCK}`, body: { userAction: { name: 'Lock account', preventLogin: true, temporal: true } } },
      {
        url: '/api/user/action',
        body: { action: { actioneeUserId: USER, actionerUserId: ADMIN, userActionId: LOCK, expiry: T0 + ONE_HOUR } },
      },
    ],
  });
  t.match((await client.retrieveUserAction(LOCK)).response.userAction, { name: 'Lock account', preventLogin: true });
  t.equal((await login(client)).statusCode, 409, 'the seeded user starts locked');
});

t.test('a soft delete makes the user action inactive, reactivate brings it back, a hard delete removes it and its actions', async (t) => {
  const { client } = await start(t);
  await defineLock(client);
  t.equal((await client.deactivateUserAction(LOCK)).statusCode, 200);
  t.equal((await client.retrieveUserAction(LOCK)).response.userAction!.active, false);
  t.same((await client.retrieveUserActions()).response.userActions, [], 'no longer among the active ones');
  t.same(
    (await client.retrieveInactiveUserActions()).response.userActions!.map((action) => action.id),
    [LOCK],
  );
  assertFieldError(t, await settle(lock(client, T0 + ONE_HOUR)), 'action.userActionId', 'invalid');

  t.equal((await client.reactivateUserAction(LOCK)).response.userAction!.active, true);
  const taken = (await lock(client, T0 + ONE_HOUR)).response.action!;
  t.equal((await client.deleteUserAction(LOCK)).statusCode, 200);
  t.equal((await settle(client.retrieveUserAction(LOCK))).statusCode, 404);
  t.equal((await settle(client.retrieveAction(taken.id!))).statusCode, 404, 'the action taken with it is gone too');
  t.equal((await login(client)).statusCode, 200, 'and the user logs in again');
});

t.test('an action that prevents login: the Login API answers 409 with the actions until the expiry passes on the clock', async (t) => {
  const { standin, client } = await start(t);
  await defineLock(client);
  t.equal((await login(client)).statusCode, 200, 'before the action the user logs in');

  const taken = await lock(client, T0 + ONE_HOUR, { option: 'Full', notifyUser: true });
  t.equal(taken.statusCode, 200);
  const action = taken.response.action!;
  t.match(action, {
    actioneeUserId: USER,
    actionerUserId: ADMIN,
    userActionId: LOCK,
    name: 'Lock account',
    expiry: T0 + ONE_HOUR,
    comment: 'Too many jokes',
    option: 'Full',
    insertInstant: T0,
    notifyUserOnEnd: true,
    emailUserOnEnd: false,
  });
  t.type(action.id, 'string');

  const refused = await login(client);
  t.equal(refused.statusCode, 409);
  t.same((refused.exception as LoginResponse).actions, [
    {
      actionId: action.id,
      actionerUserId: ADMIN,
      expiry: T0 + ONE_HOUR,
      localizedName: 'Lock account',
      name: 'Lock account',
      localizedOption: 'Full',
      option: 'Full',
    },
  ]);
  t.equal((await settle(client.login({ loginId: EMAIL, password: 'wrong-password', applicationId: APP }))).statusCode, 404, 'credentials first');

  t.same((await client.retrieveAction(action.id!)).response.action, action);
  t.same((await client.retrieveActions(USER)).response.actions, [action]);
  t.same((await client.retrieveActiveActions(USER)).response.actions, [action]);
  t.same((await client.retrieveInactiveActions(USER)).response.actions, []);
  t.same((await client.retrieveActionsPreventingLogin(USER)).response.actions, [action]);

  standin.clock.advance(ONE_HOUR / 1000);
  t.equal((await login(client)).statusCode, 200, 'once the expiry has passed the user logs in');
  t.same((await client.retrieveActiveActions(USER)).response.actions, []);
  t.same((await client.retrieveInactiveActions(USER)).response.actions, [action], 'the action is inactive now');
  t.same((await client.retrieveActionsPreventingLogin(USER)).response.actions, []);
});

t.test('cancel ends the action at once, and modify moves its expiry; both keep the history', async (t) => {
  const { client } = await start(t);
  await defineLock(client);
  const action = (await lock(client, UNTIL_CANCELED)).response.action!;
  t.equal(action.expiry, UNTIL_CANCELED, 'reads back as sent');
  t.equal((await login(client)).statusCode, 409, 'locked until canceled');

  const modified = await client.modifyAction(action.id!, { action: { actionerUserId: ADMIN, expiry: T0 + ONE_HOUR, comment: 'One hour then' } });
  t.equal(modified.statusCode, 200);
  t.match(modified.response.action, { expiry: T0 + ONE_HOUR, comment: 'One hour then' });
  t.match(modified.response.action!.history!.historyItems, [{ actionerUserId: ADMIN, comment: 'Too many jokes', createInstant: T0 }]);
  t.equal((await login(client)).statusCode, 409, 'still locked');

  const canceled = await client.cancelAction(action.id!, { action: { actionerUserId: ADMIN, comment: 'Forgiven' } });
  t.equal(canceled.statusCode, 200);
  t.match(canceled.response.action, { expiry: T0, comment: 'Forgiven' });
  t.equal(canceled.response.action!.history!.historyItems!.length, 2);
  t.equal((await login(client)).statusCode, 200, 'a canceled action no longer prevents login');
  t.same((await client.retrieveActiveActions(USER)).response.actions, []);
});

t.test('bad actions get FusionAuth field errors; a reason is an unknown one, and emailing the user is not modelled', async (t) => {
  const { client } = await start(t);
  await defineLock(client);
  const unknown = 'a7100000-0000-4000-8000-0000000000ff';
  const take = (action: Record<string, unknown>) => settle(client.actionUser({ broadcast: false, action }));
  const base = { actioneeUserId: USER, actionerUserId: ADMIN, userActionId: LOCK, expiry: T0 + ONE_HOUR };
  assertFieldError(t, await take({ ...base, actioneeUserId: undefined }), 'action.actioneeUserId', 'blank');
  assertFieldError(t, await take({ ...base, actioneeUserId: unknown }), 'action.actioneeUserId', 'invalid');
  assertFieldError(t, await take({ ...base, actionerUserId: unknown }), 'action.actionerUserId', 'invalid');
  assertFieldError(t, await take({ ...base, userActionId: unknown }), 'action.userActionId', 'invalid');
  assertFieldError(t, await take({ ...base, expiry: undefined }), 'action.expiry', 'blank');
  assertFieldError(t, await take({ ...base, option: 'Partial' }), 'action.option', 'invalid');
  assertFieldError(t, await take({ ...base, reasonId: 'a7300000-0000-4000-8000-000000000001' }), 'action.reasonId', 'invalid');
  await client.patchUserAction(LOCK, { userAction: { userEmailingEnabled: true } });
  assertGeneralError(t, await take({ ...base, emailUser: true }), '[NotModelled]');
  t.same((await client.retrieveActions(USER)).response.actions, [], 'nothing was written');
  t.equal((await login(client)).statusCode, 200);

  // An action that is not time-based is done once taken: it prevents nothing and cannot be modified or canceled.
  const coupon = (await client.createUserAction(null as never, { userAction: { name: 'Coupon' } })).response.userAction!;
  const given = await client.actionUser({ broadcast: false, action: { actioneeUserId: USER, actionerUserId: ADMIN, userActionId: coupon.id! } });
  t.equal(given.response.action!.expiry, undefined);
  t.same((await client.retrieveInactiveActions(USER)).response.actions, [given.response.action]);
  assertFieldError(t, await settle(client.cancelAction(given.response.action!.id!, { action: { actionerUserId: ADMIN } })), 'actionId', 'invalid');
});

t.test('the password grant refuses with login_prevented, and the user loses the refresh tokens issued before', async (t) => {
  const { client } = await start(t);
  await defineLock(client);
  const granted = await client.exchangeUserCredentialsForAccessToken(EMAIL, PASSWORD, APP, SECRET, 'offline_access', null as never);
  t.ok(granted.response.refresh_token, 'a refresh token before the action');
  await lock(client, T0 + ONE_HOUR);
  const refused = await settle(client.exchangeUserCredentialsForAccessToken(EMAIL, PASSWORD, APP, SECRET, 'offline_access', null as never));
  t.equal(refused.statusCode, 400);
  t.match(refused.exception, { error: 'invalid_grant', error_reason: 'login_prevented' });
  // The tenant's jwtConfiguration.refreshTokenRevocationPolicy.onLoginPrevented is on by default.
  const refreshed = await settle(client.exchangeRefreshTokenForAccessToken(granted.response.refresh_token!, APP, SECRET, '', null as never));
  t.equal(refreshed.statusCode, 400);
  t.same((await client.retrieveRefreshTokens(USER)).response.refreshTokens, []);
});

t.test('the hosted login shows the locked message, and an SSO session started before logs in no more', async (t) => {
  const { standin, client } = await start(t);
  await defineLock(client);
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' })}`;
  const browser = createHttpBrowser();
  const first = await browser.authorize(authorize, { loginId: EMAIL, password: PASSWORD });
  t.ok(new URL(first.location).searchParams.get('code'), 'a code before the action');

  const action = (await lock(client, T0 + ONE_HOUR)).response.action!;
  const page = await browser.get(authorize);
  t.equal(page.status, 200, 'the SSO session no longer logs in: the login form shows');
  const posted = await browser.post(`${standin.url}/oauth2/authorize`, { ...hiddenFields(await page.text()), loginId: EMAIL, password: PASSWORD });
  t.equal(posted.status, 200, 'the right password gets no code');
  const form = await posted.text();
  t.match(form, 'Your account has been locked.');
  t.match(form, `value="${EMAIL}"`, 'the form keeps the login id typed');

  await client.cancelAction(action.id!, { action: { actionerUserId: ADMIN } });
  const again = await browser.authorize(authorize, { loginId: EMAIL, password: PASSWORD });
  t.ok(new URL(again.location).searchParams.get('code'), 'a code once the action is canceled');
});

t.test('comments on a user: added, listed, searched, and deleted with the user', async (t) => {
  const { client } = await start(t);
  const added = await client.commentOnUser({ userComment: { userId: USER, commenterId: ADMIN, comment: 'Keeps pitching Nucleus' } });
  t.equal(added.statusCode, 200);
  const comment = added.response.userComment!;
  t.match(comment, { userId: USER, commenterId: ADMIN, comment: 'Keeps pitching Nucleus', insertInstant: T0 });
  t.type(comment.id, 'string');
  await client.commentOnUser({ userComment: { userId: USER, commenterId: ADMIN, comment: 'Signed the NDA' } });
  const listed = (await client.retrieveUserComments(USER)).response.userComments!;
  t.same(
    listed.map((c) => c.comment),
    ['Keeps pitching Nucleus', 'Signed the NDA'],
  );
  t.same(listed[0], comment);

  const found = await client.searchUserComments({ search: { comment: 'nucleus' } });
  t.equal(found.response.total, 1);
  t.same(found.response.userComments, [comment]);
  t.equal((await client.searchUserComments({ search: { userId: USER } })).response.total, 2);
  t.equal((await client.searchUserComments({ search: { commenterId: USER } })).response.total, 0);

  assertFieldError(t, await settle(client.commentOnUser({ userComment: { userId: USER, commenterId: ADMIN } })), 'userComment.comment', 'blank');
  assertFieldError(
    t,
    await settle(client.commentOnUser({ userComment: { userId: 'a7100000-0000-4000-8000-0000000000ff', commenterId: ADMIN, comment: 'x' } })),
    'userComment.userId',
    'invalid',
  );

  await client.deleteUser(USER);
  t.equal((await settle(client.retrieveUserComments(USER))).statusCode, 404);
  t.equal((await client.searchUserComments({ search: {} })).response.total, 0, 'the comments went with the user');
});

t.test('actions and comments go on reset, survive a restart of a file database, and go with their user', async (t) => {
  const folder = temporaryFolder(t, 'standin-user-actions-');
  const db = join(folder, 'standin.db');
  const first = await start(t, { db });
  await defineLock(first.client);
  const forgotten = (await lock(first.client, T0 + ONE_HOUR)).response.action!;
  first.standin.reset();
  t.equal((await settle(first.client.retrieveAction(forgotten.id!))).statusCode, 404, 'a reset forgets the action');
  t.equal((await settle(first.client.retrieveUserAction(LOCK))).statusCode, 404, 'and the user action');
  t.equal((await login(first.client)).statusCode, 200);

  await defineLock(first.client);
  const action = (await lock(first.client, T0 + ONE_HOUR)).response.action!;
  await first.client.commentOnUser({ userComment: { userId: USER, commenterId: ADMIN, comment: 'Before the restart' } });
  await first.standin.close();

  const second = await start(t, { db });
  t.same((await second.client.retrieveAction(action.id!)).response.action, action, 'the action reads back after the restart');
  t.equal((await login(second.client)).statusCode, 409, 'and still prevents login');
  t.equal((await second.client.retrieveUserComments(USER)).response.userComments!.length, 1);

  await second.client.deleteUser(USER);
  t.equal((await settle(second.client.retrieveAction(action.id!))).statusCode, 404, 'deleting the user deletes its actions');
});
