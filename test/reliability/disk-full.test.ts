import t from 'tap';
import { apiHeaders, APP, buildGrantApp, exchange, issueCode, loginThroughForm, REDIRECT, refresh, SECRET } from '../helpers/fixtures.js';

// A full disk (docs/storage.md), simulated on the server's own connection with
// PRAGMA max_page_count (SQLite throws SQLITE_FULL and rolls the transaction back), answers server_error in
// each family's shape, keeps the process serving reads, loses no acknowledged state, and recovers when
// space returns.
/** Repeats a write until it is not a success (200 or 302), at most 3000 times. */
async function untilRefused<T extends { status: number }>(write: (i: number) => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    const answer = await write(i);
    if ((answer.status !== 200 && answer.status !== 302) || i >= 3000) return answer;
  }
}

t.test('a full disk: server_error answers, the process survives, nothing half-written, recovery when space returns', async (t) => {
  const app = await buildGrantApp(t, { jwt: { refreshTokenUsagePolicy: 'OneTimeUse' } });
  const { db } = app.standin.stores;
  let current = (await exchange(app, issueCode(app))).json().refresh_token as string;

  // No page beyond those the database has: rotations fill the free space left, then one fails.
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  let full: Awaited<ReturnType<typeof refresh>> | undefined;
  for (let i = 0; i < 5000 && !full; i++) {
    const answer = await refresh(app, current);
    if (answer.statusCode === 200) current = answer.json().refresh_token;
    else full = answer;
  }
  t.ok(full, 'the disk filled up');
  t.equal(full!.statusCode, 500);
  t.same(
    full!.json(),
    { error: 'server_error', error_description: full!.json().error_description, error_reason: 'unknown' },
    'OAuth server_error JSON on /oauth2/token',
  );
  t.equal(full!.headers['cache-control'], 'no-store');
  t.notOk(db.inTransaction, 'SQLite rolled the transaction back; nothing is left open');

  const apiRefresh = await app.inject({ method: 'POST', url: '/api/jwt/refresh', payload: { refreshToken: current } });
  t.equal(apiRefresh.statusCode, 500, '/api/jwt/refresh: 500');
  t.equal(apiRefresh.json().generalErrors[0].code, '[InternalError]', "FusionAuth's error shape on /api");
  // A row that still fits a free slot of its table's pages is written; so each kind of write goes on until
  // one needs a new page.
  const createUser = await untilRefused((i) =>
    app
      .inject({ method: 'POST', url: '/api/user', headers: apiHeaders(), payload: { user: { email: `new${i}@example.com`, password: 'password1' } } })
      .then((r) => ({ ...r, status: r.statusCode })),
  );
  t.equal(createUser.status, 500, 'POST /api/user: 500');
  t.equal(createUser.json().generalErrors[0].code, '[InternalError]');
  const code = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'x'.repeat(43),
      redirect_uri: REDIRECT,
      client_id: APP,
      client_secret: SECRET,
    }).toString(),
  });
  t.ok(code.statusCode < 500 || code.json().error === 'server_error', 'a code exchange: refused or server_error, never another shape');
  const sessionsBefore = () => db.prepare('SELECT count(*) FROM sso_sessions').pluck().get() as number;
  let sessions = sessionsBefore();
  const login = await untilRefused(async () => {
    sessions = sessionsBefore();
    return loginThroughForm(
      app,
      { client_id: APP, redirect_uri: REDIRECT, scope: 'openid' },
      { loginId: 'richard@example.com', password: 'password1' },
    );
  });
  t.equal(login.status, 500, 'the hosted login POST: 500');
  t.equal(JSON.parse(login.body).error, 'server_error');
  t.equal(sessionsBefore(), sessions, 'the refused login left no SSO session behind');
  t.notOk(login.sso, 'and set no SSO cookie');

  // Reads still work: the process survives and serves.
  t.equal((await app.inject('/.well-known/jwks.json')).statusCode, 200, 'discovery still answers');
  t.equal((await app.inject('/api/status')).statusCode, 200, 'status still answers');
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok');

  // Space returns: the same refresh token, refused by the full disk, was never half-rotated and now works.
  db.pragma('max_page_count = 1073741823');
  const after = await refresh(app, current);
  t.equal(after.statusCode, 200, 'the refresh token the full disk refused still works');
  t.not(after.json().refresh_token, current, 'and rotates');
  const created = await app.inject({
    method: 'POST',
    url: '/api/user',
    headers: apiHeaders(),
    payload: { user: { email: 'after@example.com', password: 'password1' } },
  });
  t.equal(created.statusCode, 200, 'writes work again');
  const relogin = await loginThroughForm(
    app,
    { client_id: APP, redirect_uri: REDIRECT, scope: 'openid' },
    { loginId: 'richard@example.com', password: 'password1' },
  );
  t.equal(relogin.status, 302, 'logins work again');
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok');
});
