/**
 * The most argon2id work one stored hash may ask of a password check: argon2 obeys the cost a hash names, so a hash
 * above these (an imported one, say) is refused at login rather than computed (docs/storage.md), and Standin's own
 * hashing may not be set above them (config.ts), or it would write hashes no login could match.
 */
export const MAX_ARGON2_COST = { memoryKiB: 256 * 1024, time: 10, parallelism: 8 } as const;
