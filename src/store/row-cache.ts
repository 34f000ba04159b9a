import type { Statement } from 'better-sqlite3';
import type { Db } from './open-database.js';

/** Read by every token request (client authentication, lifetimes, signing keys), written only by the APIs. */
const CACHED_TABLES = ['applications', 'tenants', 'keys'] as const;

/** Past this many rows the cache starts again empty: a database with thousands of applications stays cheap. */
const MAX_ROWS = 1000;

export type CachedTable = (typeof CACHED_TABLES)[number];

/** A table's parsed rows by id: `read(id, load)` answers from memory, or calls `load` and keeps its answer. */
export type TableCache<T extends object> = (id: string, load: () => T | undefined) => T | undefined;

export interface RowCache {
  table<T extends object>(name: CachedTable): TableCache<T>;
}

/**
 * Parsed rows of the tables every token request reads, kept between requests as long as nothing can have changed
 * them. Two numbers say so, read before every answer from memory: a value that TEMP triggers set to a new random
 * number whenever this connection writes one of the tables (a rolled-back write rolls it back too, so rows read
 * inside that transaction are never served afterwards), and SQLite's `data_version`, which moves when another
 * connection commits (https://sqlite.org/pragma.html#pragma_data_version). Cached rows are frozen: callers share
 * them and must copy what they change.
 *
 * The triggers are made on the first read outside a transaction (a table made inside one would vanish with its
 * rollback); until then every read goes to the database.
 */
export function createRowCache(db: Db): RowCache {
  const tables = new Map<CachedTable, Map<string, object>>();
  let stamps: { own: Statement<[], number>; others: Statement<[], number> | undefined } | undefined;
  let seen: { own: number; others: number } | undefined;
  let rows = 0;

  const clear = () => {
    for (const rowsOfTable of tables.values()) rowsOfTable.clear();
    rows = 0;
  };
  const current = (): boolean => {
    if (!stamps) {
      if (db.inTransaction) return false;
      watchTables(db);
      stamps = {
        own: db.prepare<[], number>('SELECT value FROM temp.standin_row_stamp').pluck(),
        // No other connection can reach an in-memory database: its rows change only here.
        others: db.memory ? undefined : db.prepare<[], number>('PRAGMA data_version').pluck(),
      };
    }
    const own = stamps.own.get()!;
    const others = stamps.others?.get() ?? 0;
    if (seen?.own !== own || seen.others !== others) {
      clear();
      seen = { own, others };
    }
    return true;
  };

  return {
    table<T extends object>(name: CachedTable): TableCache<T> {
      const rowsOfTable = new Map<string, object>();
      tables.set(name, rowsOfTable);
      return (id, load) => {
        if (!current()) return load();
        const kept = rowsOfTable.get(id);
        if (kept !== undefined) return kept as T;
        const value = load();
        if (value === undefined) return undefined;
        if (rows >= MAX_ROWS) clear();
        rowsOfTable.set(id, deepFreeze(value));
        rows += 1;
        return value;
      };
    },
  };
}

/** The stamp is a random number of 53 bits (`random() >> 11`): JavaScript reads every such integer exactly. */
function watchTables(db: Db): void {
  const triggers = CACHED_TABLES.flatMap((table) =>
    ['INSERT', 'UPDATE', 'DELETE'].map(
      (event) =>
        `CREATE TEMP TRIGGER IF NOT EXISTS standin_row_stamp_${table}_${event.toLowerCase()} AFTER ${event} ON main.${table}
         BEGIN UPDATE standin_row_stamp SET value = random() >> 11; END;`,
    ),
  );
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS standin_row_stamp (value INTEGER NOT NULL);
    INSERT INTO standin_row_stamp (value) SELECT random() >> 11 WHERE NOT EXISTS (SELECT 1 FROM standin_row_stamp);
    ${triggers.join('\n')}`);
}

function deepFreeze<T extends object>(value: T): T {
  for (const member of Object.values(value)) if (typeof member === 'object' && member !== null) deepFreeze(member as object);
  return Object.freeze(value);
}
