// Part of `npm run build`: writes dist/empty-database.sqlite, a new in-memory database with every migration applied,
// serialized. A `:memory:` start opens a copy of it instead of migrating (src/store/empty-database-image.ts), which
// checks that its schema version is that of the migrations beside it.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

/** Writes the image into `dist`, from tsc's compiled migrate.js (so that it is the migration code Standin runs). */
export async function writeEmptyDatabaseImage(dist) {
  const file = join(dist, 'empty-database.sqlite');
  rmSync(file, { force: true });
  const { migrate } = await import(pathToFileURL(join(dist, 'store', 'migrate.js')).href);
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = ON');
    migrate(db);
    writeFileSync(file, db.serialize());
  } finally {
    db.close();
  }
}
