import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from './sqlite.js';
import { EMPTY_DATABASE_IMAGE, emptyDatabaseImage } from './empty-database-image.js';
import { latestMigrationVersion, migrate } from './migrate.js';

export type Db = Database.Database;

export const MEMORY = ':memory:';

/**
 * Opens (creating if needed) and migrates the database. A file-backed database lives in a folder made 0700
 * and a file made 0600: it holds private keys and password hashes (docs/storage.md). `:memory:` is a new in-memory
 * database (openMemoryDatabase).
 */
export function openDatabase(file: string): Db {
  if (file === MEMORY) return openMemoryDatabase();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Create the file ourselves so that its mode is 0600 from the first byte; SQLite gives the -wal and
  // -shm files the database file's mode.
  closeSync(openSync(file, 'a', 0o600));
  const db = openSqlite(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // A second process holding the write lock makes us wait this long, synchronously; keep it short.
    db.pragma('busy_timeout = 2000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A new, migrated in-memory database: a copy of the built image of the migrated schema (store/empty-database-image.ts)
 * when `imageFile` holds one for these migrations, else migrated here.
 */
export function openMemoryDatabase(imageFile: URL = EMPTY_DATABASE_IMAGE): Db {
  const image = emptyDatabaseImage(latestMigrationVersion(), imageFile);
  if (image) return openDatabaseImage(image);
  const db = openSqlite(MEMORY);
  try {
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Opens an in-memory database holding a copy of `image` (a serialized, migrated database). */
export function openDatabaseImage(image: Buffer): Db {
  const db = openSqlite(image);
  db.pragma('foreign_keys = ON');
  return db;
}
