import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
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
 * default seed (its API key is new each time), a clock of the caller's, or a kickstart that reads other files.
 * A kickstart's `#{ENV.…}` values are part of the key.
 */
export function seedImageKey(config: Config, callerClock: boolean): string | undefined {
  if (config.db !== ':memory:' || config.kickstart === undefined || callerClock) return undefined;
  let text: string;
  try {
    text = typeof config.kickstart === 'string' ? readFileSync(config.kickstart, 'utf8') : JSON.stringify(config.kickstart);
  } catch {
    return undefined;
  }
  if (text.includes('@{')) return undefined;
  const env = [...new Set(Array.from(text.matchAll(/#\{ENV\.([A-Za-z0-9_]+)\}/g), (match) => match[1]!))].map((name) => [name, process.env[name]]);
  return JSON.stringify({ kickstart: text, env, issuer: config.issuer, passwordHashing: config.passwordHashing });
}

export function seedImage(key: string | undefined): SeedImage | undefined {
  return key === undefined ? undefined : images.get(key);
}

/** Keeps the database just seeded as the image for `key`, unless the seed queued emails (their delivery is not copied). */
export function keepSeedImage(key: string | undefined, db: Db, report: SeedReport, outboxEmpty: boolean): void {
  if (key === undefined || !outboxEmpty || report.source === 'none') return;
  if (images.size >= MAX_IMAGES) images.delete(images.keys().next().value!);
  images.set(key, { bytes: db.serialize(), report });
}
