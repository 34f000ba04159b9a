import { constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from './sqlite.js';
import type { Transaction } from 'better-sqlite3';
import type { Db } from './open-database.js';

/** The database as it was when the snapshot was taken, and how to put it back. */
export interface Snapshot {
  /** Replaces every row of every table with the snapshot's, in one transaction; returns the milliseconds it took. */
  restore(): number;
  /** Deletes the copy a file database's snapshot keeps on disk; nothing to do for one kept in memory. */
  discard(): void;
}

/**
 * Copies the whole database, so that a reset can put it back. An in-memory database is copied into memory with
 * SQLite's serialize (one copy of its pages: at every start it costs no statement and no row read). A file database
 * is copied into a file of its own, as a file or by SQLite's online backup: its serialized image could not be opened (a
 * database in WAL mode opens only from a file: SQLITE_CANTOPEN), and a large database is not held twice in memory.
 * Every restore deletes every row and inserts the copy's in one immediate transaction with foreign keys checked at
 * commit (SQLite "Foreign Key Support" §4.2, defer_foreign_keys), so table order does not matter and a reader never
 * sees half a restore. Keys, ids and hashes come back byte for byte; the schema is not touched.
 */
export async function takeSnapshot(db: Db): Promise<Snapshot> {
  return db.memory ? inMemorySnapshot(db) : onDiskSnapshot(db);
}

function inMemorySnapshot(db: Db): Snapshot {
  const image = db.serialize();
  let restore: (() => void) | undefined;
  return {
    restore() {
      const started = performance.now();
      restore ??= restoringFrom(db, image);
      restore();
      return performance.now() - started;
    },
    discard() {},
  };
}

/**
 * The copy is written while nothing else writes on this connection (buildApp takes the snapshot before it serves
 * any request but `/api/status`): as a file where it can be (`copiedAsFile`), else by SQLite's
 * backup, which starts again if another process writes meanwhile. Restores read it through ATTACH, row by row
 * inside SQLite: the copy is never loaded into JavaScript. The folder is made 0700 (the copy holds private keys and
 * password hashes, as the database does) and removed when Standin closes.
 */
async function onDiskSnapshot(db: Db): Promise<Snapshot> {
  const folder = mkdtempSync(join(tmpdir(), 'standin-reset-'));
  const file = join(folder, 'snapshot.db');
  const discard = () => {
    foldersToRemoveAtExit.delete(folder);
    rmSync(folder, { recursive: true, force: true });
  };
  removeAtExit(folder);
  try {
    // 4096 pages a step (16 MiB of 4 KiB pages) between turns of the event loop: fewer steps than the default 100.
    if (!(await copiedAsFile(db.name, file))) await db.backup(file, { progress: () => 4096 });
  } catch (error) {
    discard();
    throw error;
  }
  // Made by the first restore, not at start: a start's first requests wait for the copy, not for some forty reads
  // of the schema (migrations run only when the database opens, so the tables are the same then).
  let restore: Transaction<() => void> | undefined;
  const restoring = () => {
    const tables = tableColumns(db);
    return db.transaction(() => {
      db.pragma('defer_foreign_keys = ON');
      for (const { quoted } of tables) db.prepare(`DELETE FROM main.${quoted}`).run();
      for (const { quoted, columns } of tables) {
        const list = columns.join(', ');
        db.prepare(`INSERT INTO main.${quoted} (${list}) SELECT ${list} FROM standin_snapshot.${quoted}`).run();
      }
    });
  };
  return {
    restore() {
      const started = performance.now();
      restore ??= restoring();
      // ATTACH and DETACH cannot run inside a transaction.
      db.prepare('ATTACH DATABASE ? AS standin_snapshot').run(file);
      try {
        restore.immediate();
      } finally {
        db.exec('DETACH DATABASE standin_snapshot');
      }
      return performance.now() - started;
    },
    discard,
  };
}

/**
 * Copies the database file as a file (on libuv's thread pool, so the event loop stays free; about 2.7 times as fast
 * as SQLite's backup here, which runs its steps on the main thread) when the file alone is the whole database and
 * stays so during the copy. A connection of its own first moves every committed page from the write-ahead log into
 * the file and empties the log (a TRUNCATE checkpoint), then begins a read transaction. A reader that begins while
 * the log is empty reads the file alone, and no checkpoint may write into the file until it ends (a checkpoint
 * stops at any reader's end mark: SQLite "Write-Ahead Logging" §2.1–2.2), so the file is the database as of that
 * moment and stays it. Other processes write meanwhile as usual, to the log. Returns false, having copied nothing,
 * when the log could not be emptied (another process was writing or reading) or was written to again before the
 * read began; the caller then uses SQLite's backup.
 */
async function copiedAsFile(database: string, target: string): Promise<boolean> {
  const connection = openSqlite(database, { fileMustExist: true, timeout: 0 });
  try {
    connection.pragma('wal_checkpoint(TRUNCATE)');
    connection.exec('BEGIN');
    connection.prepare('SELECT count(*) FROM sqlite_schema').get();
    // An empty log now means that this read uses the file alone: a log this read used could not be emptied while
    // it lasts.
    const log = statSync(`${database}-wal`, { throwIfNoEntry: false });
    if (log !== undefined && log.size > 0) return false;
    // A clone where the file system shares blocks (btrfs, XFS), a copy in the kernel elsewhere.
    await copyFile(database, target, constants.COPYFILE_FICLONE);
    return true;
  } catch (error) {
    // A read can find the database busy (another connection in exclusive locking mode, or recovering the log).
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw error;
  } finally {
    // Ends the read transaction too.
    connection.close();
  }
}

/** The copies not discarded yet: removed should the process exit without stopping Standin (`process.exit`). */
const foldersToRemoveAtExit = new Set<string>();
let listeningForExit = false;

function removeAtExit(folder: string): void {
  foldersToRemoveAtExit.add(folder);
  if (listeningForExit) return;
  listeningForExit = true;
  process.once('exit', () => {
    for (const each of foldersToRemoveAtExit) rmSync(each, { recursive: true, force: true });
  });
}

/** Every table of the main schema with its columns, named and quoted for SQL. */
function tableColumns(db: Db): { quoted: string; columns: string[] }[] {
  return db
    .prepare<[], { name: string }>(
      "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all()
    .map(({ name }) => ({
      quoted: `"${name.replace(/"/g, '""')}"`,
      columns: db
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name.replace(/'/g, "''")}')`)
        .all()
        .map((column) => `"${column.name.replace(/"/g, '""')}"`),
    }));
}

function restoringFrom(db: Db, image: Buffer): () => void {
  const copy = openSqlite(image);
  let tables;
  try {
    tables = tableColumns(copy).map(({ quoted, columns }) => ({
      rows: copy
        .prepare(`SELECT ${columns.join(', ')} FROM ${quoted}`)
        .raw(true)
        .all() as unknown[][],
      remove: db.prepare(`DELETE FROM ${quoted}`),
      insert: db.prepare(`INSERT INTO ${quoted} VALUES (${columns.map(() => '?').join(', ')})`),
    }));
  } finally {
    copy.close();
  }
  const restore = db.transaction(() => {
    db.pragma('defer_foreign_keys = ON');
    for (const table of tables) table.remove.run();
    for (const table of tables) for (const row of table.rows) table.insert.run(row);
  });
  return () => {
    restore.immediate();
  };
}
