import { availableParallelism } from 'node:os';
import { argon2id, hash, needsRehash, verify } from 'argon2';
import pLimit from 'p-limit';
import type { PasswordHashing } from '../config.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a stored hash Standin would not have written (see below). */
  verify(hash: string, password: string): Promise<boolean>;
  /** The stored hash was made with other parameters than the configured ones (rehash on the next login). */
  needsRehash(hash: string): boolean;
}

// A stored hash names its own cost, and argon2.verify obeys it: refuse costs no setting of ours would
// write, so an imported hash cannot make one login cost gigabytes (security checklist K5).
const MAX_MEMORY_KIB = 256 * 1024;
const MAX_TIME = 10;
const MAX_PARALLELISM = 8;

/**
 * argon2id on libuv's thread pool, at most one hash per core at a time: unbounded concurrent hashes starve
 * the pool that file I/O shares and make every login slower (security checklist §3.3).
 */
export function createPasswordHasher(params: PasswordHashing, concurrency = availableParallelism()): PasswordHasher {
  const limit = pLimit(Math.max(1, concurrency));
  const options = { type: argon2id, memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: params.parallelism } as const;
  return {
    hash: (password) => limit(() => hash(password, options)),
    verify: async (stored, password) => {
      if (!isAcceptableHash(stored)) return false;
      return limit(() => verify(stored, password));
    },
    needsRehash: (stored) => needsRehash(stored, options),
  };
}

// The parameters in either order: node-argon2 writes `m=,p=,t=`, the reference implementation `m=,t=,p=`.
const PHC = /^\$argon2id\$v=19\$((?:[mtp]=\d+,){2}[mtp]=\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

function isAcceptableHash(hash: string): boolean {
  const match = PHC.exec(hash);
  if (!match) return false;
  const params = new Map(match[1]!.split(',').map((param) => [param[0], Number(param.slice(2))]));
  if (params.size !== 3) return false;
  const [memory, time, parallelism] = [params.get('m')!, params.get('t')!, params.get('p')!];
  return memory <= MAX_MEMORY_KIB && time <= MAX_TIME && parallelism <= MAX_PARALLELISM;
}
