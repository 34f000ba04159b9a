import type { Db } from './open-database.js';

/** Every row of every table, held in memory, and how to put them back. */
export interface Snapshot {
  /** Tables and row counts, for logs and tests. */
  readonly tables: ReadonlyMap<string, number>;
  /** Replaces every row of every table with the snapshot's, in one transaction; returns the milliseconds it took. */
  restore(): number;
}

/**
 * Copies the whole database into memory. Restoring deletes every row and inserts the copy in one immediate
 * transaction with foreign keys checked at commit (SQLite "Foreign Key Support" §4.2, defer_foreign_keys), so
 * table order does not matter and a reader never sees half a restore. Keys, ids and hashes come back
 * byte for byte; the schema is not touched.
 */
export function takeSnapshot(db: Db): Snapshot {
  const names = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .all()
    .map((row) => row.name);
  const tables = names.map((name) => {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    const columns = db
      .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name.replace(/'/g, "''")}')`)
      .all()
      .map((column) => column.name);
    const select = db.prepare(`SELECT ${columns.map((column) => `"${column.replace(/"/g, '""')}"`).join(', ')} FROM ${quoted}`).raw(true);
    return {
      name,
      rows: select.all() as unknown[][],
      remove: db.prepare(`DELETE FROM ${quoted}`),
      insert: db.prepare(`INSERT INTO ${quoted} VALUES (${columns.map(() => '?').join(', ')})`),
    };
  });
  const restore = db.transaction(() => {
    db.pragma('defer_foreign_keys = ON');
    for (const table of tables) table.remove.run();
    for (const table of tables) for (const row of table.rows) table.insert.run(row);
  });
  return {
    tables: new Map(tables.map((table) => [table.name, table.rows.length])),
    restore() {
      const started = performance.now();
      restore.immediate();
      return performance.now() - started;
    },
  };
}
