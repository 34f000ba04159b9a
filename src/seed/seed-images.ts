import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config.js';
import { includedPaths } from '../kickstart/substitute.js';
import type { Kickstart } from '../kickstart/types.js';
import type { Db } from '../store/open-database.js';
import type { SeedReport } from './seed-if-empty.js';

/**
 * Seeded in-memory databases, kept per process, so that the second and later startStandin() with the same
 * kickstart copy the first one's database (SQLite's serialize/deserialize) instead of generating keys, hashing
 * passwords and replaying the requests again (docs/performance.md). A copy is a database of its own: what one
 * instance writes after its start no other sees. The copies share what the seed made: signing keys, password
 * hashes and generated ids.
 */
export interface SeedImage {
  bytes: Buffer;
  report: SeedReport;
}

const images = new Map<string, SeedImage>();
// A test process starts with a handful of different kickstarts; more than this many is not a suite's pattern.
const MAX_IMAGES = 16;

/**
 * What identifies a seed's result, or undefined when a copy could differ from a fresh seed: a file database, the
 * default seed (its API key is new each time), or a clock of the caller's. The kickstart's text, the text of every
 * file it includes (`@{…}`, `&{…}`) and the values of the `#{ENV.…}` variables it uses are part of the key.
 */
export function seedImageKey(config: Config, callerClock: boolean): string | undefined {
  if (config.db !== ':memory:' || config.kickstart === undefined || callerClock) return undefined;
  const texts = kickstartTexts(config.kickstart);
  if (texts === undefined) return undefined;
  const substituted = [texts.kickstart, ...texts.json.map(([, text]) => text)].join('\n');
  const env = [...new Set(Array.from(substituted.matchAll(/#\{ENV\.([A-Za-z0-9_]+)\}/g), (match) => match[1]!))].map((name) => [
    name,
    process.env[name],
  ]);
  const key = JSON.stringify({ ...texts, env, issuer: config.issuer, passwordHashing: config.passwordHashing });
  return createHash('sha256').update(key).digest('base64url');
}

/**
 * The kickstart's text and those of the files it includes, by absolute path: `@{…}` text files, and `&{…}` JSON
 * files with what they include in turn. Undefined when one cannot be read or parsed: the seed then fails and says
 * why.
 */
function kickstartTexts(kickstart: string | Kickstart): { kickstart: string; text: [string, string][]; json: [string, string][] } | undefined {
  // Included paths are resolved from the kickstart file's folder, or the working directory (kickstart/load-kickstart.ts).
  const baseDir = typeof kickstart === 'string' ? dirname(resolve(kickstart)) : process.cwd();
  const found = { text: new Map<string, string>(), json: new Map<string, string>() };
  const include = (value: unknown): boolean => {
    const paths = includedPaths(value);
    for (const path of paths.text) {
      const full = resolve(baseDir, path);
      const text = found.text.get(full) ?? readOrUndefined(full);
      if (text === undefined) return false;
      found.text.set(full, text);
    }
    for (const path of paths.json) {
      const full = resolve(baseDir, path);
      if (found.json.has(full)) continue;
      const text = readOrUndefined(full);
      if (text === undefined) return false;
      found.json.set(full, text);
      const parsed = parseOrUndefined(text);
      if (parsed === undefined || !include(parsed)) return false;
    }
    return true;
  };
  const text = typeof kickstart === 'string' ? readOrUndefined(kickstart) : JSON.stringify(kickstart);
  const parsed = typeof kickstart === 'string' && text !== undefined ? parseOrUndefined(text) : kickstart;
  if (text === undefined || parsed === undefined || !include(parsed)) return undefined;
  return { kickstart: text, text: [...found.text], json: [...found.json] };
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function seedImage(key: string | undefined): SeedImage | undefined {
  return key === undefined ? undefined : images.get(key);
}

/**
 * Keeps the database just seeded as the image for `key`, unless the seed queued emails (their delivery is not
 * copied). The outbox is read only when there is a key: the CLI has none, and its start does not wait for the read.
 */
export function keepSeedImage(key: string | undefined, db: Db, report: SeedReport, outboxEmpty: () => boolean): void {
  if (key === undefined || report.source === 'none' || !outboxEmpty()) return;
  if (images.size >= MAX_IMAGES) images.delete(images.keys().next().value!);
  images.set(key, { bytes: db.serialize(), report });
}
