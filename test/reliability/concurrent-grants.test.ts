import t, { type Test } from 'tap';
import { httpPool } from '../helpers/http-pool.js';
import { APP, buildGrantApp, issueCode, REDIRECT, SECRET } from '../helpers/fixtures.js';

// Single use under concurrency (docs/storage.md), over real sockets: 20 requests written to 20 warm keep-alive
// connections in one tick race for one code or one OneTimeUse refresh token, round after round.
const PARALLEL = 20;
const ROUNDS = 200;

async function listening(t: Test, options: Parameters<typeof buildGrantApp>[1] = {}) {
  const app = await buildGrantApp(t, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const pool = httpPool(`http://127.0.0.1:${port}`, PARALLEL);
  t.teardown(() => {
    pool.close();
  });
  await pool.warm();
  return { app, pool };
}

t.test('20 parallel exchanges of one code: exactly one success, 200 rounds', async (t) => {
  const { app, pool } = await listening(t);
  let failures = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const code = issueCode(app);
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: APP, client_secret: SECRET };
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => pool.form('/oauth2/token', form)));
    const ok = answers.filter((answer) => answer.status === 200).length;
    // FusionAuth refuses a used code as invalid_request / auth_code_not_found (docs/differences.md).
    const refused = answers.filter((answer) => answer.status === 400 && JSON.parse(answer.body).error_reason === 'auth_code_not_found').length;
    if (ok !== 1 || refused !== PARALLEL - 1) {
      failures++;
      t.fail(`round ${round}: ${ok} successes, statuses ${answers.map((answer) => answer.status).join(',')}`);
    }
  }
  t.equal(failures, 0, `${ROUNDS} rounds of ${PARALLEL}: one success and ${PARALLEL - 1} auth_code_not_found each`);
  t.equal(app.standin.stores.db.pragma('integrity_check', { simple: true }), 'ok');
});

t.test('concurrent refreshes of one OneTimeUse token: at most one successor, 200 rounds', async (t) => {
  const { app, pool } = await listening(t, { jwt: { refreshTokenUsagePolicy: 'OneTimeUse' } });
  const first = await pool.form('/oauth2/token', {
    grant_type: 'authorization_code',
    code: issueCode(app),
    redirect_uri: REDIRECT,
    client_id: APP,
    client_secret: SECRET,
  });
  let current = JSON.parse(first.body).refresh_token as string;
  const familyId = JSON.parse(first.body).refresh_token_id as string;
  const used: string[] = [];
  let failures = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // Half through the refresh_token grant, half through FusionAuth's /api/jwt/refresh: one store, one race.
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        i % 2 === 0
          ? pool.form('/oauth2/token', { grant_type: 'refresh_token', refresh_token: current, client_id: APP, client_secret: SECRET })
          : pool.json('/api/jwt/refresh', { refreshToken: current }),
      ),
    );
    const successors = answers
      .filter((answer) => answer.status === 200)
      .map((answer) => JSON.parse(answer.body) as { refresh_token?: string; refreshToken?: string });
    const others = answers.filter((answer) => answer.status !== 200);
    if (successors.length !== 1 || others.some((answer) => answer.status !== 400)) {
      failures++;
      t.fail(`round ${round}: ${successors.length} successors, statuses ${answers.map((answer) => answer.status).join(',')}`);
    }
    if (successors.length === 0) continue;
    used.push(current);
    current = successors[0]!.refresh_token ?? successors[0]!.refreshToken!;
  }
  t.equal(failures, 0, `${ROUNDS} rounds of ${PARALLEL}: exactly one successor each, the rest 400`);
  const family = app.standin.stores.db.prepare('SELECT COUNT(*) AS n FROM refresh_tokens WHERE id = ?').get(familyId) as { n: number };
  t.equal(family.n, 1, 'one family row, holding one current hash');
  const old = await Promise.all(used.slice(-5).map((value) => pool.json('/api/jwt/refresh', { refreshToken: value })));
  t.same(
    old.map((answer) => answer.status),
    [400, 400, 400, 400, 400],
    'rotated-away values are refused',
  );
  t.equal((await pool.json('/api/jwt/refresh', { refreshToken: current })).status, 200, 'the last successor works');
});
