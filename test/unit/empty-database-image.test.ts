import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import t from 'tap';
import { emptyDatabaseImage } from '../../src/store/empty-database-image.js';
import { latestMigrationVersion, migrate } from '../../src/store/migrate.js';
import { openMemoryDatabase } from '../../src/store/open-database.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// A `:memory:` database starts as a copy of the migrated empty database `npm run build` writes
// (dist/empty-database.sqlite, scripts/empty-database-image.mjs), when that image is of the migrations beside it.
const dir = temporaryFolder(t, 'standin-empty-image-');

/** A migrated database with a marker table, serialized at schema version `version`, written to a file of `dir`. */
function imageFile(name: string, version: number): URL {
  const db = new Database(':memory:');
  migrate(db);
  db.exec('CREATE TABLE marker (x)');
  db.pragma(`user_version = ${version}`);
  const file = join(dir, name);
  writeFileSync(file, db.serialize());
  db.close();
  return pathToFileURL(file);
}

const schemaOf = (db: Database.Database) =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();

t.test('an image of the current schema version is what a new in-memory database starts as', async (t) => {
  const db = openMemoryDatabase(imageFile('current.sqlite', latestMigrationVersion()));
  t.teardown(() => db.close());
  t.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'marker'").get(), 'the copy of the image, marker included');
  t.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys enforced, as on a migrated database');
  db.prepare('INSERT INTO marker VALUES (1)').run();
  t.equal(db.prepare('SELECT count(*) FROM marker').pluck().get(), 1, 'writable');
});

t.test('an image of another schema version, a missing file or a file too short to be one are ignored: the migrations run', async (t) => {
  const missing = pathToFileURL(join(dir, 'missing.sqlite'));
  const short = join(dir, 'short.sqlite');
  writeFileSync(short, 'not a database');
  for (const file of [imageFile('older.sqlite', latestMigrationVersion() - 1), missing, pathToFileURL(short)]) {
    t.equal(emptyDatabaseImage(latestMigrationVersion(), file), undefined, `${file.pathname} is no image`);
    const db = openMemoryDatabase(file);
    t.notOk(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'marker'").get(), 'migrated, not copied');
    t.equal(db.pragma('user_version', { simple: true }), latestMigrationVersion());
    db.close();
  }
});

t.test("the build's image is the schema the migrations make, at their version", async (t) => {
  const built = new URL('../../dist/empty-database.sqlite', import.meta.url);
  if (!existsSync(built)) {
    t.fail('dist/empty-database.sqlite is missing: run npm run build');
    return;
  }
  const bytes = emptyDatabaseImage(latestMigrationVersion(), built);
  t.ok(bytes, 'an image of the current schema version');
  const image = new Database(bytes);
  const migrated = new Database(':memory:');
  migrate(migrated);
  t.same(schemaOf(image), schemaOf(migrated));
  t.equal(image.prepare('SELECT count(*) FROM tenants').pluck().get(), 0, 'empty');
  image.close();
  migrated.close();
});
