import { availableParallelism } from 'node:os';
import type { PasswordHashing } from '../config.js';
import { busyAnswerHold } from './busy-answer-hold.js';
import { isImportedHash, matchesImportedHash, parseImportedHash } from './imported-hash.js';
import { MAX_ARGON2_COST } from './cost-bounds.js';

export interface PasswordHasher {
  /** A hash of `password` with a new salt; one that `prefetch` started for the same password, if there is one left. */
  hash(password: string): Promise<string>;
  /**
   * Starts hashing `passwords` now, on the thread pool, for `hash` to hand out: a kickstart's users are created one
   * request after another, and each request would otherwise start its hash only when it comes (bench/README.md,
   * "Sixth round"). The plaintexts are kept until `forgetPrefetched`.
   */
  prefetch(passwords: readonly string[]): void;
  /** Drops the hashes `prefetch` made that `hash` did not hand out, and skips those that have not started yet. */
  forgetPrefetched(): void;
  /**
   * False for a wrong password and for a stored hash Standin would not have written (see below). A hash brought
   * in by the Import Users API (passwords/imported-hash.ts) is checked in its own scheme, in the same queue. Rejects
   * with PasswordsBusyError when the queue of checks waiting for a thread is full or the wait times out.
   */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * The stored argon2id hash was made with other parameters than the configured ones (rehash on the next login).
   * False for an imported hash: whether that one is replaced is the tenant's choice (oauth/authenticate-password.ts).
   */
  needsRehash(hash: string): Promise<boolean>;
  /** Checks running now and checks waiting, for the soak script and tests. */
  load(): { running: number; waiting: number };
  /** A password check started now would be refused at once with PasswordsBusyError (the queue is full). */
  saturated(): boolean;
}

/** How many password checks may wait, and for how long (config `limits.passwordQueue*`). */
export interface QueueBound {
  queue: number;
  timeoutMs: number;
}

/** The Retry-After of a password check refused because argon2 is saturated. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** A password check refused because argon2 is saturated: the caller answers 503 with Retry-After. */
export class PasswordsBusyError extends Error {
  override name = 'PasswordsBusyError';
  readonly retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS;
}

const UNBOUNDED: QueueBound = { queue: Number.POSITIVE_INFINITY, timeoutMs: 0 };

/**
 * argon2id on libuv's thread pool, at most one hash per core at a time: unbounded concurrent hashes starve
 * the pool that file I/O shares and make every login slower (docs/storage.md). Password checks, which anyone
 * can start, wait in a bounded queue with a timeout, so a login storm gets 503s (each after a short hold:
 * passwords/busy-answer-hold.ts) instead of an ever longer queue (docs/hardening.md); hashing new passwords,
 * which needs an API key, waits its turn.
 */
export function createPasswordHasher(params: PasswordHashing, concurrency = availableParallelism(), bound: QueueBound = UNBOUNDED): PasswordHasher {
  const slots = createSlots(Math.max(1, concurrency));
  const options = ({ argon2id }: Argon2) =>
    ({ type: argon2id, memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: params.parallelism }) as const;
  const hashOnThread = async (password: string) => {
    const argon2 = await loadArgon2();
    return argon2.hash(password, options(argon2));
  };
  const hashNow = (password: string) => slots.run(() => hashOnThread(password), UNBOUNDED);
  // Per plaintext, the prefetched hashes not handed out yet. One that is forgotten before its turn on a thread
  // never runs; one handed out always does.
  let prefetched = new Map<string, { hash: Promise<string | undefined>; claim: { handedOut: boolean } }[]>();
  return {
    hash: async (password) => {
      const early = prefetched.get(password)?.shift();
      if (early === undefined) return hashNow(password);
      early.claim.handedOut = true;
      return (await early.hash) ?? hashNow(password);
    },
    prefetch(passwords) {
      const batch = prefetched;
      for (const password of passwords) {
        const claim = { handedOut: false };
        const hash = slots.run(async () => (claim.handedOut || prefetched === batch ? hashOnThread(password) : undefined), UNBOUNDED);
        // A prefetched hash nobody asks for is dropped; its failure is the failure of no request.
        hash.catch(() => undefined);
        const waiting = batch.get(password) ?? [];
        waiting.push({ hash, claim });
        batch.set(password, waiting);
      }
    },
    forgetPrefetched() {
      prefetched = new Map();
    },
    verify: async (stored, password) => {
      if (isImportedHash(stored)) {
        const imported = parseImportedHash(stored);
        return imported === undefined ? false : slots.run(() => matchesImportedHash(imported, password), bound);
      }
      if (!isAcceptableHash(stored)) return false;
      return slots.run(async () => (await loadArgon2()).verify(stored, password), bound);
    },
    needsRehash: async (stored) => {
      if (isImportedHash(stored)) return false;
      const argon2 = await loadArgon2();
      return argon2.needsRehash(stored, options(argon2));
    },
    load: () => ({ running: slots.running(), waiting: slots.waiting() }),
    saturated: () => slots.refuses(bound),
  };
}

// argon2's native addon loads with the first hash or check, not at start-up: a restart answers its first request
// without it (bench/README.md, "Start-up").
type Argon2 = typeof import('argon2');
let argon2Module: Promise<Argon2> | undefined;
const loadArgon2 = () => (argon2Module ??= import('argon2'));

interface Waiter {
  start: () => void;
}

/** A counting semaphore whose bounded waiters can be refused (queue full) or give up (timeout). */
function createSlots(concurrency: number) {
  let running = 0;
  let boundedWaiting = 0;
  const queue: Waiter[] = [];
  const release = () => {
    running -= 1;
    const next = queue.shift();
    if (next) next.start();
  };
  const free = () => running < concurrency && queue.length === 0;
  const full = (bound: QueueBound) => bound.queue !== Number.POSITIVE_INFINITY && boundedWaiting >= bound.queue;
  return {
    running: () => running,
    waiting: () => queue.length,
    refuses: (bound: QueueBound) => !free() && full(bound),
    run<T>(job: () => Promise<T>, bound: QueueBound): Promise<T> {
      const go = async () => {
        running += 1;
        try {
          return await job();
        } finally {
          release();
        }
      };
      if (free()) return go();
      const bounded = bound.queue !== Number.POSITIVE_INFINITY;
      // Refused after a hold, so that a caller retrying at once cannot spin (passwords/busy-answer-hold.ts).
      if (full(bound))
        return busyAnswerHold().then(() => {
          throw new PasswordsBusyError('Too many password checks are waiting.');
        });
      return new Promise<T>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const waiter: Waiter = {
          start: () => {
            if (bounded) boundedWaiting -= 1;
            if (timer) clearTimeout(timer);
            go().then(resolve, reject);
          },
        };
        queue.push(waiter);
        if (bounded) {
          boundedWaiting += 1;
          timer = setTimeout(() => {
            const index = queue.indexOf(waiter);
            if (index < 0) return;
            queue.splice(index, 1);
            boundedWaiting -= 1;
            reject(new PasswordsBusyError('A password check waited too long for a thread.'));
          }, bound.timeoutMs);
          timer.unref();
        }
      });
    },
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
  return memory <= MAX_ARGON2_COST.memoryKiB && time <= MAX_ARGON2_COST.time && parallelism <= MAX_ARGON2_COST.parallelism;
}
