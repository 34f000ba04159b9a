import t from 'tap';
import {
  APP,
  assertOAuthError,
  authorizeQuery,
  buildGrantApp,
  exchange,
  issueCode,
  REDIRECT,
  refresh,
  T0,
  UNREGISTERED_USER,
  USER,
} from '../helpers/fixtures.js';
import { control, logIn } from '../helpers/control.js';
import type { StandinApp } from '../../src/app.js';

const ssoLogsIn = async (app: StandinApp, sso: string) =>
  (
    await app.inject({
      url: `/oauth2/authorize?${authorizeQuery({ client_id: APP, redirect_uri: REDIRECT, state: 's' })}`,
      cookies: { 'fusionauth.sso': sso },
    })
  ).statusCode === 302;

t.test('GET /_standin/sessions and /_standin/refresh-tokens list what Standin holds, with metadata', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0, jwt: { refreshTokenUsagePolicy: 'OneTimeUse' } });
  const login = await logIn(app);
  app.standin.control.clock.advance(60);
  const rotated = (await refresh(app, login.refreshToken)).json();
  t.ok(rotated.refresh_token);

  const { sessions } = (await control(app, 'GET', '/_standin/sessions')).json();
  t.equal(sessions.length, 1);
  t.match(sessions[0], {
    userId: USER,
    loginId: 'richard@example.com',
    authTime: T0,
    lastUsed: T0,
    expiresAt: T0 + 3_600_000,
    expired: false,
    persistent: false,
    refreshTokens: 1,
  });
  t.type(sessions[0].id, 'string');

  const { refreshTokens } = (await control(app, 'GET', '/_standin/refresh-tokens')).json();
  t.equal(refreshTokens.length, 1);
  t.match(refreshTokens[0], {
    id: login.refreshTokenId,
    userId: USER,
    loginId: 'richard@example.com',
    applicationId: APP,
    startInstant: T0,
    insertInstant: T0 + 60_000,
    lastUsed: T0 + 60_000,
    expiresAt: T0 + 30 * 86_400_000,
    expired: false,
    rotations: 1,
    scope: 'openid offline_access',
    ssoSessionId: sessions[0].id,
  });
  t.notMatch(JSON.stringify(refreshTokens), login.refreshToken, 'never a token value');
  t.same((await control(app, 'GET', `/_standin/refresh-tokens?userId=${UNREGISTERED_USER}`)).json(), { refreshTokens: [] }, 'filtered by user');
  t.equal((await control(app, 'GET', `/_standin/refresh-tokens?applicationId=${APP}&userId=${USER}`)).json().refreshTokens.length, 1);
  t.same((await control(app, 'GET', `/_standin/sessions?userId=${UNREGISTERED_USER}`)).json(), { sessions: [] });
  t.same(
    app.standin.control.refreshTokens({ userId: USER }).map((family) => family.id),
    [login.refreshTokenId],
    'the same in code',
  );
});

t.test('revoke by refresh token id, by its value, by SSO session, by user, by application', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const revoke = async (target: object) => (await control(app, 'POST', '/_standin/revoke', target)).json();

  const a = await logIn(app);
  t.same(await revoke({ refreshTokenId: a.refreshTokenId }), { refreshTokens: 1, ssoSessions: 0, authorizationCodes: 0 });
  assertOAuthError(t, await refresh(app, a.refreshToken), 400, 'invalid_grant');
  t.ok(await ssoLogsIn(app, a.sso), 'the session lives on');

  const b = await logIn(app);
  t.same(await revoke({ refreshToken: b.refreshToken }), { refreshTokens: 1, ssoSessions: 0, authorizationCodes: 0 }, 'by value');
  t.same(await revoke({ refreshToken: b.refreshToken }), { refreshTokens: 0, ssoSessions: 0, authorizationCodes: 0 }, 'twice: nothing left');

  const c = await logIn(app);
  const session = app.standin.control.sessions().find((s) => s.refreshTokens === 1)!;
  t.same(
    app.standin.control.revoke({ ssoSessionId: session.id }),
    { refreshTokens: 1, ssoSessions: 1, authorizationCodes: 0 },
    'the session and what it started',
  );
  t.notOk(await ssoLogsIn(app, c.sso));

  const d = await logIn(app);
  const code = issueCode(app);
  const byUser = await revoke({ userId: USER });
  t.equal(byUser.refreshTokens, 1);
  t.ok(byUser.ssoSessions >= 1, 'every session of the user');
  t.ok(byUser.authorizationCodes >= 1, 'and codes not yet used (SSO logins above issued some too)');
  assertOAuthError(t, await refresh(app, d.refreshToken), 400, 'invalid_grant');
  t.notOk(await ssoLogsIn(app, d.sso));
  t.equal((await exchange(app, code)).statusCode, 400, 'an unused code of the user is gone');

  const e = await logIn(app);
  t.same(
    app.standin.control.revoke({ applicationId: APP }),
    { refreshTokens: 1, ssoSessions: 0, authorizationCodes: 0 },
    'an application: its tokens, not the user’s sessions',
  );
  assertOAuthError(t, await refresh(app, e.refreshToken), 400, 'invalid_grant');
  t.ok(await ssoLogsIn(app, e.sso));
});

t.test('expire makes tokens and sessions dead now, keeping them listed', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const a = await logIn(app);
  const expired = (await control(app, 'POST', '/_standin/expire', { userId: USER })).json();
  t.match(expired, { refreshTokens: 1, ssoSessions: 1 });
  assertOAuthError(t, await refresh(app, a.refreshToken), 400, 'invalid_grant');
  t.notOk(await ssoLogsIn(app, a.sso), 'the session is over');
  const families = app.standin.control.refreshTokens();
  t.equal(families.length, 1, 'still listed');
  t.match(families[0], { expired: true, expiresAt: T0 });
  t.same(
    (await control(app, 'POST', '/_standin/expire', { userId: USER })).json(),
    { refreshTokens: 0, ssoSessions: 0, authorizationCodes: 0 },
    'nothing live is left to expire',
  );

  const b = await logIn(app);
  t.same(app.standin.control.expire({ refreshTokenId: b.refreshTokenId }), { refreshTokens: 1, ssoSessions: 0, authorizationCodes: 0 });
  assertOAuthError(t, await refresh(app, b.refreshToken), 400, 'invalid_grant');
  t.ok(await ssoLogsIn(app, b.sso), 'only the token');
  const session = app.standin.control.sessions().find((s) => !s.expired)!;
  t.same(app.standin.control.expire({ ssoSessionId: session.id }).ssoSessions, 1);
  t.notOk(await ssoLogsIn(app, b.sso));
  t.ok(app.standin.control.sessions().every((s) => s.expired));
  const code = issueCode(app);
  t.ok(app.standin.control.expire({ applicationId: APP }).authorizationCodes >= 1);
  t.equal((await exchange(app, code)).statusCode, 400, 'an expired code is refused');
});

t.test('a target must name something, alone where it is one thing', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  for (const body of [{}, { userId: '' }, { refreshTokenId: 'x', userId: USER }, { ssoSessionId: 'x', refreshToken: 'y' }]) {
    for (const path of ['/_standin/revoke', '/_standin/expire']) {
      const response = await control(app, 'POST', path, body);
      t.equal(response.statusCode, 400, `${path} ${JSON.stringify(body)}`);
    }
  }
  t.throws(() => app.standin.control.revoke({}), TypeError, 'never everything by accident');
  t.throws(() => app.standin.control.expire({ userId: 5 as unknown as string }), TypeError, 'ids are strings');
});
