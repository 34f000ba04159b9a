import { createHash, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Password hashes made by another system and brought in through the Import Users API, in FusionAuth's built-in
 * schemes (https://fusionauth.io/docs/reference/password-hashes). Standin writes argon2id for every password it
 * hashes itself; these are only ever checked, and replaced by argon2id on a login when the tenant's
 * `passwordEncryptionConfiguration.modifyEncryptionSchemeOnLogin` asks for it (docs/management-api.md,
 * "Importing users").
 *
 * Stored self-describing in the same column as argon2id's PHC strings:
 * `$fusionauth-import$<scheme>$<factor>$<salt>$<hash>` (salt and hash as the request gave them; neither alphabet
 * has a `$`).
 */
export interface ImportedHash {
  scheme: ImportedScheme;
  factor: number;
  salt: string;
  hash: string;
}

const PREFIX = '$fusionauth-import$';

interface Scheme {
  /** The factor when the request gives none; undefined when the scheme needs one given (or takes none). */
  defaultFactor?: number;
  /** The largest factor Standin accepts: a stored factor is a cost every login with that user pays. */
  maxFactor: number;
  /** The smallest factor the scheme accepts. */
  minFactor: number;
  /** Whether the scheme reads the factor at all. */
  usesFactor: boolean;
  /** The salt and hash as the request must give them; a message saying what was wrong, or undefined. */
  problem(salt: string, hash: string): string | undefined;
  matches(password: string, stored: ImportedHash): Promise<boolean>;
}

// bcryptjs loads with the first bcrypt check, not at start-up, as argon2 does (passwords/password-hasher.ts).
let bcryptModule: Promise<typeof import('bcryptjs')> | undefined;
const loadBcrypt = async () => (await (bcryptModule ??= import('bcryptjs'))).default;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BCRYPT_SALT = /^[./A-Za-z0-9]{22}$/;
const BCRYPT_HASH = /^[./A-Za-z0-9]{31}$/;
// A round of a plain digest costs about a microsecond; between slices the event loop serves other requests.
const DIGEST_ROUNDS_PER_SLICE = 5000;

/** The hash bytes, or undefined when `value` is not base64 of `length` bytes. */
function base64Bytes(value: string, length?: number): Buffer | undefined {
  if (!BASE64.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return length === undefined || bytes.length === length ? bytes : undefined;
}

function base64Problem(salt: string, hash: string, hashBytes: number): string | undefined {
  if (base64Bytes(salt) === undefined) return 'The salt must be base64.';
  if (base64Bytes(hash, hashBytes) === undefined) return `The password must be the base64 of a ${hashBytes}-byte hash.`;
  return undefined;
}

/** Constant-time for a given scheme: the candidate always has the stored hash's length. */
function sameBytes(candidate: Buffer, storedHash: string): boolean {
  const stored = Buffer.from(storedHash, 'base64');
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}

/** `digest(password ‖ salt)`, then the digest of that, `factor` times in all (salted-md5, salted-sha256). */
function iteratedDigest(algorithm: 'md5' | 'sha256', hashBytes: number): Scheme {
  return {
    usesFactor: true,
    minFactor: 1,
    maxFactor: 100_000,
    problem: (salt, hash) => base64Problem(salt, hash, hashBytes),
    async matches(password, stored) {
      let result = Buffer.concat([Buffer.from(password, 'utf8'), Buffer.from(stored.salt, 'base64')]);
      for (let done = 0; done < stored.factor;) {
        const slice = Math.min(DIGEST_ROUNDS_PER_SLICE, stored.factor - done);
        for (let round = 0; round < slice; round += 1) result = createHash(algorithm).update(result).digest();
        done += slice;
        if (done < stored.factor) await new Promise((resolve) => setImmediate(resolve));
      }
      return sameBytes(result, stored.hash);
    },
  };
}

/** PBKDF2 with HMAC-`digest`, `factor` iterations, a key of `keyBytes`; on libuv's thread pool. */
function pbkdf2Scheme(digest: 'sha256' | 'sha512', keyBytes: number): Scheme {
  return {
    usesFactor: true,
    // FusionAuth's default factor (the tenant's `passwordEncryptionConfiguration.encryptionSchemeFactor`).
    defaultFactor: 24_000,
    minFactor: 1,
    maxFactor: 1_000_000,
    problem: (salt, hash) => base64Problem(salt, hash, keyBytes),
    async matches(password, stored) {
      // Promisified here, not when this module loads, which would load node:crypto with every start (scripts/bundle.mjs).
      const derived = await promisify(pbkdf2)(password, Buffer.from(stored.salt, 'base64'), stored.factor, keyBytes, digest);
      return sameBytes(derived, stored.hash);
    },
  };
}

const SCHEMES = {
  'salted-md5': iteratedDigest('md5', 16),
  'salted-sha256': iteratedDigest('sha256', 32),
  'salted-hmac-sha256': {
    usesFactor: false,
    minFactor: 0,
    maxFactor: 0,
    problem: (salt: string, hash: string) => base64Problem(salt, hash, 32),
    matches: async (password: string, stored: ImportedHash) =>
      sameBytes(createHmac('sha256', Buffer.from(stored.salt, 'base64')).update(password, 'utf8').digest(), stored.hash),
  },
  'salted-pbkdf2-hmac-sha256': pbkdf2Scheme('sha256', 32),
  'salted-pbkdf2-hmac-sha256-512': pbkdf2Scheme('sha256', 64),
  'salted-pbkdf2-hmac-sha512-512': pbkdf2Scheme('sha512', 64),
  // FusionAuth splits a bcrypt string: the cost in `factor`, the 22 salt characters in `salt`, the 31 hash
  // characters in `password` (https://fusionauth.io/docs/apis/users, "Password Hashes", "Bcrypt").
  bcrypt: {
    usesFactor: true,
    minFactor: 4,
    maxFactor: 14,
    problem: (salt: string, hash: string) =>
      !BCRYPT_SALT.test(salt)
        ? 'The salt must be the 22 characters of a bcrypt salt.'
        : !BCRYPT_HASH.test(hash)
          ? 'The password must be the 31 characters of a bcrypt hash.'
          : undefined,
    // bcryptjs compares in constant time and yields to the event loop while it works (docs/management-api.md).
    matches: async (password: string, stored: ImportedHash) =>
      (await loadBcrypt()).compare(password, `$2a$${String(stored.factor).padStart(2, '0')}$${stored.salt}${stored.hash}`),
  },
} satisfies Record<string, Scheme>;

export type ImportedScheme = keyof typeof SCHEMES;

/** The schemes Standin checks, by FusionAuth's name. */
export const IMPORTED_SCHEMES: readonly ImportedScheme[] = Object.keys(SCHEMES) as ImportedScheme[];

export function isImportedScheme(name: unknown): name is ImportedScheme {
  return typeof name === 'string' && Object.hasOwn(SCHEMES, name);
}

/** What the scheme needs of a factor: whether it reads one, its default, and the range Standin accepts. */
export function factorRule(scheme: ImportedScheme): { usesFactor: boolean; defaultFactor?: number; min: number; max: number } {
  const { usesFactor, defaultFactor, minFactor, maxFactor } = SCHEMES[scheme] as Scheme;
  return { usesFactor, ...(defaultFactor === undefined ? {} : { defaultFactor }), min: minFactor, max: maxFactor };
}

/** Why `salt` and `hash` cannot be a hash of `scheme`, or undefined when they can. */
export function hashProblem(scheme: ImportedScheme, salt: string, hash: string): string | undefined {
  return SCHEMES[scheme].problem(salt, hash);
}

export function encodeImportedHash({ scheme, factor, salt, hash }: ImportedHash): string {
  return `${PREFIX}${scheme}$${factor}$${salt}$${hash}`;
}

export function isImportedHash(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The stored hash read back; undefined when it is not one Standin wrote (so it never matches). */
export function parseImportedHash(stored: string): ImportedHash | undefined {
  if (!isImportedHash(stored)) return undefined;
  const parts = stored.slice(PREFIX.length).split('$');
  if (parts.length !== 4) return undefined;
  const [scheme, factorText, salt, hash] = parts as [string, string, string, string];
  if (!isImportedScheme(scheme) || !/^\d{1,7}$/.test(factorText)) return undefined;
  const factor = Number(factorText);
  const rule = factorRule(scheme);
  if (factor < rule.min || factor > rule.max || hashProblem(scheme, salt, hash) !== undefined) return undefined;
  return { scheme, factor, salt, hash };
}

/** Whether `password` is the one `stored` was made from. */
export function matchesImportedHash(stored: ImportedHash, password: string): Promise<boolean> {
  return SCHEMES[stored.scheme].matches(password, stored);
}
