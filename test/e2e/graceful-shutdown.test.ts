import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { startCli } from '../helpers/cli.js';

// docs/hardening.md, "Shutdown": SIGTERM under load stops accepting, lets in-flight requests finish, closes the
// database (which checkpoints the WAL) and exits 0.

const API_KEY = 'shutdown-api-key-that-is-long-enough-0123456789';
const kickstart = {
  apiKeys: [{ key: API_KEY }],
  requests: [{ method: 'POST', url: '/api/user', body: { user: { email: 'load@example.com', password: 'correct horse' } } }],
};

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'ECONNREFUSED');
    });
  });
}

t.test('SIGTERM during a login storm: no new connections, in-flight logins finish, the WAL is checkpointed, exit 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-shutdown-'));
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  }); // teardowns run last first: after the kill
  const db = join(dir, 'standin.db');
  const kickstartFile = join(dir, 'kickstart.json');
  writeFileSync(kickstartFile, JSON.stringify(kickstart));
  // Standard argon2 cost: each login holds a thread for tens of milliseconds, so many stay in flight.
  // On a loaded machine logins may wait for an argon2 thread longer than the default 10 s: this test is about
  // shutdown, not that bound. Request lines (info) tell the test when every login has reached the server.
  const cli = await startCli([
    '--port',
    '0',
    '--db',
    db,
    '--kickstart',
    kickstartFile,
    '--log-level',
    'info',
    '--password-hashing',
    'standard',
    '--password-queue-timeout',
    '120000',
  ]);
  t.teardown(() => void cli.child.kill('SIGKILL'));
  const port = Number(new URL(cli.url).port);

  // Writes before the storm, so the WAL has frames to checkpoint.
  const warm = await fetch(`${cli.url}/api/login`, {
    method: 'POST',
    headers: { authorization: API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ loginId: 'load@example.com', password: 'correct horse' }),
  });
  t.equal(warm.status, 200);
  t.ok(existsSync(`${db}-wal`) && statSync(`${db}-wal`).size > 0, 'the WAL holds frames while running');

  const LOGINS = 60;
  let sigtermAt = 0;
  const finishedAt: number[] = [];
  const logins = Array.from({ length: LOGINS }, () =>
    fetch(`${cli.url}/api/login`, {
      method: 'POST',
      headers: { authorization: API_KEY, 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ loginId: 'load@example.com', password: 'correct horse' }),
    }).then(
      async (response) => {
        await response.arrayBuffer();
        finishedAt.push(performance.now());
        return response.status;
      },
      (error: unknown) => `failed: ${(error as Error).message}`,
    ),
  );
  // Once every login of the storm has reached the server (the warm-up was the first), stop it.
  const received = () =>
    cli
      .stdout()
      .split('\n')
      .filter((line) => line.includes('"incoming request"')).length;
  const deadline = Date.now() + 60_000;
  while (received() < LOGINS + 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  t.equal(received(), LOGINS + 1, 'every login reached the server before SIGTERM');
  sigtermAt = performance.now();
  const exited = cli.stop('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.ok(await refused(port), 'a new connection is refused once SIGTERM arrived');

  const statuses = await Promise.all(logins);
  const code = await exited;
  const stoppedIn = performance.now() - sigtermAt;
  t.same(
    statuses.filter((status) => status !== 200),
    [],
    'every in-flight login finished with 200',
  );
  t.ok(
    finishedAt.filter((at) => at > sigtermAt).length > 0,
    `some logins were still in flight at SIGTERM (${finishedAt.filter((at) => at > sigtermAt).length} of ${LOGINS}) and finished`,
  );
  // Not a timing assertion (the machine may be busy): a shutdown that hung would be cut by close-with-grace's
  // timeout, which exits non-zero and logs "killed by timeout", both checked below.
  t.comment(`stopped ${Math.round(stoppedIn)} ms after SIGTERM`);
  t.equal(code, 0, 'exit code 0');
  t.ok(!existsSync(`${db}-wal`) || statSync(`${db}-wal`).size === 0, 'the WAL was checkpointed: gone or empty');
  t.notMatch(cli.stderr(), /error|killed by timeout/i, 'nothing logged as an error');

  const reopened = new Database(db, { readonly: true });
  t.teardown(() => reopened.close());
  t.equal(reopened.pragma('integrity_check', { simple: true }), 'ok');
  const user = reopened.prepare("SELECT COUNT(*) AS n FROM users WHERE email = 'load@example.com'").get() as { n: number };
  t.equal(user.n, 1, 'the seeded user is there');
});
