import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import type { Application } from '../../src/model/application.js';
import type { Tenant } from '../../src/model/tenant.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { createStores } from '../../src/store/index.js';
import { takeSnapshot } from '../../src/store/snapshot.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// The reset snapshot (src/store/snapshot.ts): an in-memory database's kept in memory, a file database's on disk.
// Either way a restore puts back every row of every table, byte for byte. test/routes/control-reset.test.ts checks
// reset over HTTP, test/e2e/control.test.ts through startStandin() and the CLI on a database file.
const TENANT = 'b1b1b1b1-0000-4000-8000-000000000001';
const APP = 'b1b1b1b1-0000-4000-8000-0000000000a1';
const USER = 'b1b1b1b1-0000-4000-8000-0000000000e1';

function seededDatabase(t: Test, onFile: boolean): Db {
  // Teardowns run last-registered first: the database closes before its folder goes.
  const folder = onFile ? temporaryFolder(t, 'standin-snapshot-test-') : undefined;
  const db = openDatabase(folder ? join(folder, 'standin.db') : ':memory:');
  t.teardown(() => {
    db.close();
  });
  const stores = createStores(db);
  stores.tenants.insert({ id: TENANT, name: 'Hooli' } as Tenant);
  stores.applications.insert({ id: APP, tenantId: TENANT, name: 'Nucleus' } as Application);
  stores.users.insert({ id: USER, tenantId: TENANT, email: 'gavin@example.com', active: true } as never, 'hash');
  stores.registrations.insert(USER, { id: 'b1b1b1b1-0000-4000-8000-0000000000f1', applicationId: APP } as never);
  return db;
}

/** Every row of every table, in a stable order. */
function dump(db: Db): Record<string, unknown[]> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .all();
  return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
}

// The copies go to os.tmpdir(): here a folder of this test's own, as other test files run beside it.
const ownTmp = temporaryFolder(t, 'standin-snapshot-tmp-');
process.env.TMPDIR = ownTmp;
const resetFolders = () => readdirSync(ownTmp).filter((name) => name.startsWith('standin-reset-'));

for (const onFile of [false, true]) {
  t.test(`the snapshot of ${onFile ? 'a file' : 'an in-memory'} database puts back every row, twice`, async (t) => {
    const db = seededDatabase(t, onFile);
    const before = dump(db);
    const foldersBefore = resetFolders();
    const snapshot = await takeSnapshot(db);
    t.equal(resetFolders().length - foldersBefore.length, onFile ? 1 : 0, 'a copy on disk for a file database only');
    for (const round of [1, 2]) {
      const stores = createStores(db);
      stores.users.delete(USER);
      stores.applications.update({ id: APP, tenantId: TENANT, name: `Changed ${round}` } as Application);
      stores.tenants.insert({ id: `b1b1b1b1-0000-4000-8000-00000000000${round + 1}`, name: `Other ${round}` } as Tenant);
      t.not(dump(db), before);
      t.type(snapshot.restore(), 'number');
      t.same(dump(db), before, `restore ${round}: every table as it was`);
    }
    snapshot.discard();
    t.same(resetFolders(), foldersBefore, 'nothing left on disk once discarded');
  });
}

t.test('the copy on disk is removed when the process exits without stopping Standin', async (t) => {
  const database = join(ownTmp, 'exiting.db');
  // The built modules (npm test builds first), in a process of their own that ends with process.exit().
  const script = `
    const { openDatabase } = await import(${JSON.stringify(new URL('../../dist/store/open-database.js', import.meta.url).href)});
    const { takeSnapshot } = await import(${JSON.stringify(new URL('../../dist/store/snapshot.js', import.meta.url).href)});
    await takeSnapshot(openDatabase(${JSON.stringify(database)}));
    console.log(JSON.stringify(readdirSync(process.env.TMPDIR).filter((name) => name.startsWith('standin-reset-'))));
    process.exit(0);`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', `import { readdirSync } from 'node:fs';${script}`], {
    env: { ...process.env, TMPDIR: ownTmp },
    encoding: 'utf8',
  });
  t.equal(child.status, 0, child.stderr);
  t.equal((JSON.parse(child.stdout) as string[]).length, 1, 'a copy while the process ran');
  t.same(resetFolders(), [], 'none once it exited');
});

// A file database is copied as a file only while its write-ahead log is empty and nothing writes; otherwise by
// SQLite's backup. Either way the snapshot is what this connection sees.
t.test("another connection's reader keeps rows in the log: the snapshot still has them", async (t) => {
  const db = seededDatabase(t, true);
  const other = new Database(db.name);
  t.teardown(() => other.close());
  other.exec('BEGIN');
  other.prepare('SELECT count(*) FROM users').get();
  // Written after the reader began: a checkpoint cannot move these pages into the file while it reads.
  createStores(db).tenants.insert({ id: 'b1b1b1b1-0000-4000-8000-000000000009', name: 'Written late' } as Tenant);
  const before = dump(db);
  const snapshot = await takeSnapshot(db);
  other.exec('COMMIT');
  t.teardown(() => {
    snapshot.discard();
  });
  createStores(db).users.delete(USER);
  snapshot.restore();
  t.same(dump(db), before, 'every row, the late tenant included');
});

t.test('another connection writes while the copy is made, without waiting: the snapshot is what came before', async (t) => {
  const db = seededDatabase(t, true);
  const other = new Database(db.name, { timeout: 0 });
  t.teardown(() => other.close());
  const before = dump(db);
  const taking = takeSnapshot(db);
  // The copy is under way on the thread pool: a write by another connection must neither wait for it nor reach it.
  other.prepare("UPDATE users SET email = 'written-meanwhile@example.com'").run();
  const snapshot = await taking;
  t.teardown(() => {
    snapshot.discard();
  });
  t.not(dump(db), before, 'the write is in the database');
  snapshot.restore();
  t.same(dump(db), before, 'and not in the snapshot');
});

t.test('another connection holding the write lock: the snapshot has what was committed', async (t) => {
  const db = seededDatabase(t, true);
  const other = new Database(db.name);
  t.teardown(() => other.close());
  const before = dump(db);
  other.exec('BEGIN IMMEDIATE');
  other.prepare('DELETE FROM registrations').run();
  const snapshot = await takeSnapshot(db);
  other.exec('ROLLBACK');
  t.teardown(() => {
    snapshot.discard();
  });
  createStores(db).users.delete(USER);
  snapshot.restore();
  t.same(dump(db), before);
});
