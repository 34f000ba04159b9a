import { readFileSync } from 'node:fs';

/**
 * The migrated empty database `npm run build` writes beside the bundle (scripts/empty-database-image.mjs): a new
 * in-memory database starts as a copy of it instead of running every migration, some 10 ms of a `:memory:` start
 * (bench/README.md, "Twelfth round"). Run from the sources (tests, tsx) there is no such file, and every migration
 * runs as before.
 */
export const EMPTY_DATABASE_IMAGE = new URL('../empty-database.sqlite', import.meta.url);

// https://sqlite.org/fileformat2.html#database_header: the header is 100 bytes; the user version (Standin's schema
// version, store/migrate.ts) is the big-endian 4-byte integer at offset 60.
const HEADER = 100;
const USER_VERSION_OFFSET = 60;

/** The image's bytes when it exists and holds schema version `version`, else undefined (then migrate). */
export function emptyDatabaseImage(version: number, file: URL = EMPTY_DATABASE_IMAGE): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  return bytes.length > HEADER && bytes.readUInt32BE(USER_VERSION_OFFSET) === version ? bytes : undefined;
}
