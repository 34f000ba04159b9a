import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

/**
 * Where better-sqlite3's native addon is: its own build folder, where both its prebuilt download and a build from
 * source put it. Named, better-sqlite3 loads it at once; left to find it, it asks the `bindings` package, which reads
 * a stack trace and tries a dozen paths, a few milliseconds of every start (bench/README.md, "Fourteenth round").
 */
const ADDON = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');

/** A better-sqlite3 connection, its addon named (better-sqlite3's `nativeBinding` option). */
export function openSqlite(source: string | Buffer, options: Database.Options = {}): Database.Database {
  return new Database(source, { ...options, nativeBinding: ADDON });
}
