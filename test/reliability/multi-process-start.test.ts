import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { startCli } from '../helpers/cli.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// docs/storage.md, "Several processes on one file": kickstart-free starts on one empty file all want to seed it.
// BEGIN IMMEDIATE serializes them; the re-check under the lock makes the losers start on what the winner seeded.
// Before that fix the losers ran migration 001 twice or seeded twice ("A key with name [Default signing key] already
// exists").
t.test('3 processes started at once on a fresh file: exactly one seeds, all serve one consistent database', async (t) => {
  const dir = temporaryFolder(t, 'standin-multi-');
  const file = join(dir, 'standin.db');
  const env = { STANDIN_KICKSTART: '', FUSIONAUTH_APP_KICKSTART_FILE: '', STANDIN_LOG_LEVEL: 'warn' };
  const started = await Promise.allSettled([0, 1, 2].map(() => startCli(['--port', '0', '--db', file, '--password-hashing', 'fast'], env)));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  t.teardown(() => Promise.all(running.map((cli) => cli.stop('SIGKILL'))));
  t.same(
    started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ready')),
    ['ready', 'ready', 'ready'],
    'all three start',
  );

  const seeders = running.filter((cli) => /seeded {4}now/.test(cli.stdout()));
  t.equal(seeders.length, 1, 'exactly one process seeded');
  const apiKey = /API key {3}(\S+)/.exec(seeders[0]?.stdout() ?? '')?.[1] ?? '';
  for (const cli of running) {
    // The seeder's API key works on every process: they all read the one seeded database.
    for (const email of ['admin@example.com', 'richard@example.com']) {
      const user = await fetch(`${cli.url}/api/user?email=${email}`, { headers: { authorization: apiKey } });
      t.equal(user.status, 200, `${cli.url} accepts the seeded API key and finds ${email}`);
    }
  }
  t.same(await Promise.all(running.map((cli) => cli.stop('SIGTERM'))), [0, 0, 0], 'all stop cleanly');

  const db = new Database(file, { readonly: true });
  t.teardown(() => db.close());
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  t.same(
    { tenants: count('tenants'), users: count('users'), apiKeys: count('api_keys'), keys: count('keys'), applications: count('applications') },
    { tenants: 1, users: 2, apiKeys: 1, keys: 1, applications: 2 },
    'one seed, not two',
  );
});
