import Database from 'better-sqlite3';
import type { Db } from './open-database.js';

/** The database as it was when the snapshot was taken, and how to put it back. */
export interface Snapshot {
  /** Replaces every row of every table with the snapshot's, in one transaction; returns the milliseconds it took. */
  restore(): number;
}

/**
 * Copies the whole database into memory with SQLite's serialize (one copy of its pages: taking the snapshot at
 * every start costs no statement and no row read). The first restore reads the rows out of that copy; every
 * restore deletes every row and inserts the copy's in one immediate transaction with foreign keys checked at
 * commit (SQLite "Foreign Key Support" §4.2, defer_foreign_keys), so table order does not matter and a reader
 * never sees half a restore. Keys, ids and hashes come back byte for byte; the schema is not touched.
 */
export function takeSnapshot(db: Db): Snapshot {
  const image = db.serialize();
  let restore: (() => void) | undefined;
  return {
    restore() {
      const started = performance.now();
      restore ??= restoringFrom(db, image);
      restore();
      return performance.now() - started;
    },
  };
}

function restoringFrom(db: Db, image: Buffer): () => void {
  const copy = new Database(image);
  let tables;
  try {
    tables = copy
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      .all()
      .map(({ name }) => {
        const quoted = `"${name.replace(/"/g, '""')}"`;
        const columns = copy
          .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name.replace(/'/g, "''")}')`)
          .all()
          .map((column) => `"${column.name.replace(/"/g, '""')}"`);
        return {
          rows: copy
            .prepare(`SELECT ${columns.join(', ')} FROM ${quoted}`)
            .raw(true)
            .all() as unknown[][],
          remove: db.prepare(`DELETE FROM ${quoted}`),
          insert: db.prepare(`INSERT INTO ${quoted} VALUES (${columns.map(() => '?').join(', ')})`),
        };
      });
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
