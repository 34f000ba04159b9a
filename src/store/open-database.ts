import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

export type Db = Database.Database;

export const MEMORY = ':memory:';

/**
 * Opens (creating if needed) and migrates the database. A file-backed database lives in a folder made 0700
 * and a file made 0600: it holds private keys and password hashes (docs/storage.md).
 */
export function openDatabase(file: string): Db {
  if (file !== MEMORY) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Create the file ourselves so that its mode is 0600 from the first byte; SQLite gives the -wal and
    // -shm files the database file's mode.
    closeSync(openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  try {
    if (file !== MEMORY) db.pragma('journal_mode = WAL');
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

/** Opens an in-memory database holding a copy of `image` (a serialized, migrated database). */
export function openDatabaseImage(image: Buffer): Db {
  const db = new Database(image);
  db.pragma('foreign_keys = ON');
  return db;
}
