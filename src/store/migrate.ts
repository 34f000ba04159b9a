import { readdirSync, readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';

const MIGRATIONS = new URL('../../migrations/', import.meta.url);
const MIGRATION_FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The schema version the migrations reach: how many there are (numbered without gaps), read from their names alone. */
export function latestMigrationVersion(folder: URL = MIGRATIONS): number {
  return readdirSync(folder).filter((name) => MIGRATION_FILE.test(name)).length;
}

export function loadMigrations(folder: URL = MIGRATIONS): Migration[] {
  const migrations = readdirSync(folder)
    .flatMap((name) => {
      const match = MIGRATION_FILE.exec(name);
      return match ? [{ version: Number(match[1]), name, sql: readFileSync(new URL(name, folder), 'utf8') }] : [];
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migrations must be numbered 001, 002, … without gaps; found ${migration.name}`);
  });
  return migrations;
}

/**
 * Applies, in order and each in its own transaction, the migrations newer than `PRAGMA user_version`.
 * Forward only: a database from a newer Standin is refused rather than guessed at.
 */
export function migrate(db: Database.Database, given?: Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  // A database that is up to date, as on every restart, needs the migrations' names, not their SQL.
  if (given === undefined && current === latestMigrationVersion()) return current;
  const migrations = given ?? loadMigrations();
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`the database is at schema version ${current}, newer than this Standin knows (${latest}); use a newer Standin`);
  }
  for (const migration of migrations.filter((m) => m.version > current)) {
    db.transaction(() => {
      // Another process starting on the same file may have applied it between our read of user_version and this write
      // lock (BEGIN IMMEDIATE): read it again under the lock, or two processes on a fresh file both run 001 and the
      // second fails with "table already exists" (docs/storage.md, "Several processes on one file").
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
