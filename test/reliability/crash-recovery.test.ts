import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { hashSecret } from '../../src/store/secrets.js';
import { startCli } from '../helpers/cli.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// Crash safety (docs/storage.md): kill -9 in the middle of a stream of logins and OneTimeUse
// refreshes, restart on the same file, and check that every write a client saw acknowledged (a 200) is there.

const API_KEY = 'crash-test-api-key-0123456789-abcdefghijklmnopqrstuvwxyz';
const APP = 'cccccccc-1111-4000-8000-0000000000c1';
const ROUNDS = 3;
const WORKERS = 6;

interface Family {
  /** The last value a 200 returned as current. */
  value: string;
  /** A refresh of `value` was sent and not answered when the process died: it may have committed. */
  inFlight: boolean;
}

/** The project the crash test boots: one OneTimeUse refresh-token application and one registered user. */
function writeCrashKickstart(kickstart: string): void {
  writeFileSync(
    kickstart,
    JSON.stringify({
      apiKeys: [{ key: API_KEY }],
      requests: [
        {
          method: 'POST',
          url: `/api/application/${APP}`,
          body: {
            application: {
              name: 'crash',
              loginConfiguration: { generateRefreshTokens: true },
              jwtConfiguration: { enabled: true, refreshTokenUsagePolicy: 'OneTimeUse' },
              oauthConfiguration: {
                authorizedRedirectURLs: ['https://crash.example.com/cb'],
                enabledGrants: ['authorization_code', 'refresh_token'],
              },
            },
          },
        },
        {
          method: 'POST',
          url: '/api/user/registration',
          body: { user: { email: 'crash@example.com', password: 'password1' }, registration: { applicationId: APP } },
        },
      ],
    }),
  );
}

/** Each family whose acknowledged value is neither current nor retired by the refresh in flight at the kill. */
function familyProblems(db: Database.Database, families: Map<string, Family>): string[] {
  const current = db.prepare<[string], { token_hash: string }>('SELECT token_hash FROM refresh_tokens WHERE id = ?');
  const retired = db.prepare<[string, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM retired_refresh_tokens WHERE token_hash = ? AND refresh_token_id = ?',
  );
  const problems: string[] = [];
  for (const [id, family] of families) {
    const rows = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM refresh_tokens WHERE id = ?').get(id)!.n;
    if (rows !== 1) problems.push(`${id}: ${rows} rows`);
    const hash = current.get(id)?.token_hash;
    if (hash === hashSecret(family.value)) continue;
    // Rotated after the last acknowledgement: only by the request in flight at the kill, and then the
    // acknowledged value is retired into this family, never lost.
    if (!family.inFlight || retired.get(hashSecret(family.value), id)!.n !== 1)
      problems.push(`${id}: the acknowledged value is neither current nor retired by the in-flight refresh`);
  }
  return problems;
}

t.test('kill -9 during logins and refreshes: integrity ok, every acknowledged write present, no half-rotated family', async (t) => {
  const dir = temporaryFolder(t, 'standin-crash-');
  const file = join(dir, 'standin.db');
  const kickstart = join(dir, 'kickstart.json');
  writeCrashKickstart(kickstart);
  const args = ['--port', '0', '--db', file, '--kickstart', kickstart, '--password-hashing', 'fast', '--log-level', 'warn'];
  const families = new Map<string, Family>();
  let acknowledged = 0;

  // A restart serves what was acknowledged: a sample refreshes over HTTP, each result acknowledged in turn.
  const verifyAfterRestart = async (url: string, round: number) => {
    for (const [id, family] of [...families].slice(-5)) {
      const answer = await fetch(`${url}/api/jwt/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: family.value }),
      });
      if (answer.status === 200) {
        family.value = ((await answer.json()) as { refreshToken: string }).refreshToken;
        family.inFlight = false;
      } else if (!family.inFlight) {
        t.fail(`after kill ${round}: ${id}: the acknowledged value was refused after the restart (${answer.status})`);
      } else {
        families.delete(id); // rotated by the unacknowledged request: its successor was never seen
      }
    }
  };

  for (let round = 0; round < ROUNDS; round++) {
    const cli = await startCli(args);
    if (round > 0) await verifyAfterRestart(cli.url, round - 1);
    // Read through a function: the writers' loops must see the flag the kill sets, not a narrowed copy.
    const run = { stopped: false };
    const stopped = () => run.stopped;
    const post = (path: string, body: unknown) =>
      fetch(`${cli.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: API_KEY },
        body: JSON.stringify(body),
      });
    const worker = async () => {
      while (!stopped()) {
        try {
          const login = await post('/api/login', { loginId: 'crash@example.com', password: 'password1', applicationId: APP });
          if (login.status !== 200) throw new Error(`login answered ${login.status}`);
          const body = (await login.json()) as { refreshToken: string; refreshTokenId: string };
          const family: Family = { value: body.refreshToken, inFlight: false };
          families.set(body.refreshTokenId, family);
          acknowledged++;
          for (let i = 0; i < 5 && !stopped(); i++) {
            family.inFlight = true;
            const answer = await post('/api/jwt/refresh', { refreshToken: family.value });
            if (answer.status !== 200) throw new Error(`refresh answered ${answer.status}`);
            family.value = ((await answer.json()) as { refreshToken: string }).refreshToken;
            family.inFlight = false;
            acknowledged++;
          }
        } catch (error) {
          // Only the kill may break the stream: a refused request before it is a failure of its own.
          if (!stopped()) t.fail(`request failed before the kill: ${String(error)}`);
          return;
        }
      }
    };
    const before = acknowledged;
    const workers = Array.from({ length: WORKERS }, worker);
    // The kill comes once each round has written something (on a busy machine a fixed delay may not be enough),
    // then at a random moment, so that it falls inside requests.
    const ended = { all: false };
    void Promise.allSettled(workers).then(() => (ended.all = true));
    while (acknowledged <= before + WORKERS && !ended.all) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 500)));
    run.stopped = true;
    cli.child.kill('SIGKILL');
    await Promise.allSettled(workers);
    await new Promise((resolve) => {
      if (cli.child.exitCode !== null || cli.child.signalCode !== null) resolve(null);
      else cli.child.once('exit', resolve);
    });

    // Open as the next start would (WAL recovery), and check before Standin touches it.
    const db = new Database(file);
    t.equal(db.pragma('integrity_check', { simple: true }), 'ok', `round ${round}: integrity_check ok`);
    const problems = familyProblems(db, families);
    db.close();
    t.same(problems, [], `round ${round}: ${families.size} families, ${acknowledged} acknowledged writes so far, each present`);
  }
  const last = await startCli(args);
  await verifyAfterRestart(last.url, ROUNDS - 1);
  t.equal(await last.stop('SIGTERM'), 0, 'the restarted process serves and stops cleanly');
  t.ok(acknowledged > ROUNDS * WORKERS, `${acknowledged} acknowledged writes across ${ROUNDS} kills`);
});
