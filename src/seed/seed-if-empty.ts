import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { prefetchRsaKey } from '../keys/generate-key.js';
import { generatedRsaKeys } from '../kickstart/generated-rsa-keys.js';
import { kickstartPasswords } from '../kickstart/kickstart-passwords.js';
import { checkKickstartParses, loadKickstart } from '../kickstart/load-kickstart.js';
import { replayRequests } from '../kickstart/replay-requests.js';
import { KickstartError, type Kickstart, type ResolvedKickstart } from '../kickstart/types.js';
import type { SeedSource } from '../store/meta.js';
import type { Stores } from '../store/index.js';
import type { Db } from '../store/open-database.js';
import { bootstrap } from './bootstrap.js';
import { defaultSeed } from './default-seed.js';

export interface SeedReport {
  /** What seeded the database during this start, or `none` when it already held data. */
  source: SeedSource | 'none';
  /** Kickstart requests accepted but not modelled. */
  ignored: string[];
  /** Kickstart requests replayed through the API (the ignored ones not counted); absent when nothing ran. */
  replayed?: number;
  /** The default seed's API key, made now and shown once. */
  apiKey?: string;
}

/**
 * Seeds an empty database, as FusionAuth kickstarts only an empty one: from the kickstart if given, else
 * from the default seed. Everything happens in one transaction, so a failing request leaves the database
 * as it was. A kickstart file that cannot be read or parsed fails even on a full database; the rest of it (its
 * shape, `#{ENV.X}`, included files) is checked only when it runs.
 */
export async function seedIfEmpty(app: FastifyInstance, kickstartSource: string | Kickstart | undefined): Promise<SeedReport> {
  const { stores, config, passwords } = app.standin;
  if (!stores.isEmpty()) {
    if (kickstartSource !== undefined) {
      checkKickstartParses(kickstartSource);
      app.log.info('kickstart not run: the database already holds data (FusionAuth kickstarts only an empty database)');
    }
    return { source: 'none', ignored: [] };
  }
  const given = kickstartSource === undefined ? undefined : loadKickstart(kickstartSource);
  const kickstart = given ?? loadKickstart(defaultSeed());
  const source: SeedSource = given ? 'kickstart' : 'default';

  const { db } = stores;
  await beginImmediate(db);
  try {
    // Another process on the same file may have seeded it between the check above and this write lock:
    // check again under the lock, so that of several processes starting on one empty file exactly one seeds
    // and the others start on what it seeded (docs/storage.md, "Several processes on one file").
    if (!stores.isEmpty()) {
      db.exec('ROLLBACK');
      if (given) app.log.info('kickstart not run: the database already holds data (FusionAuth kickstarts only an empty database)');
      return { source: 'none', ignored: [] };
    }
    // The default signing key and the RSA keys the requests generate, made side by side on the thread pool.
    prefetchRsaKey(1 + generatedRsaKeys(kickstart));
    // An API key may name a tenant that a later request creates: check foreign keys at commit.
    db.pragma('defer_foreign_keys = ON');
    const now = config.now();
    await bootstrap(stores, now, {
      tenantId: kickstart.variables.FUSIONAUTH_TENANT_ID as string,
      signingKeyId: kickstart.variables.FUSIONAUTH_DEFAULT_SIGNING_KEY_ID as string,
    });
    // Then the passwords the requests hash, side by side instead of one user's request after another; not before
    // the default key is made, so that a start's first answers do not share this machine's cores with both
    // (bench/README.md, "Sixth round").
    passwords.prefetch(kickstartPasswords(kickstart));
    insertApiKeys(app, kickstart, now);
    const ignored = await replayRequests(app, kickstart);
    checkApiKeyTenants(app, kickstart);
    checkApiKeyLists(app, kickstart);
    stores.meta.setSeedSource(source);
    // The default seed's users all have the password "password" (its kickstart's), which the banner shows.
    if (source === 'default') stores.meta.setDemoPasswords(passwordInstants(stores));
    db.exec('COMMIT');
    return {
      source,
      ignored,
      replayed: kickstart.requests.length - ignored.length,
      ...(source === 'default' ? { apiKey: kickstart.apiKeys[0]!.key } : {}),
    };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    passwords.forgetPrefetched();
  }
}

// How long a start waits for another process that is seeding the same file (it hashes passwords and makes
// keys under the write lock, which can outlast the connection's busy timeout).
const SEED_LOCK_WAIT_MS = 60_000;

/**
 * `BEGIN IMMEDIATE`, retried without blocking the event loop while another process holds the write lock:
 * each attempt waits at most the connection's busy timeout (a synchronous sleep), then we yield and retry.
 */
async function beginImmediate(db: Db): Promise<void> {
  const deadline = Date.now() + SEED_LOCK_WAIT_MS;
  for (;;) {
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function passwordInstants(stores: Stores): Record<string, number> {
  const instants: Record<string, number> = {};
  for (const tenant of stores.tenants.list()) {
    for (const user of stores.users.list(tenant.id)) {
      if (user.passwordLastUpdateInstant !== undefined) instants[user.id] = user.passwordLastUpdateInstant;
    }
  }
  return instants;
}

/** Names the API key whose tenant no request created, which would otherwise fail the commit as a bare foreign-key error. */
function checkApiKeyTenants(app: FastifyInstance, kickstart: ResolvedKickstart): void {
  kickstart.apiKeys.forEach(({ tenantId }, index) => {
    if (tenantId !== undefined && !app.standin.stores.tenants.get(tenantId)) {
      throw new KickstartError(`apiKeys[${index}]: "tenantId" ${tenantId} names no tenant, and no request created one`);
    }
  });
}

/** Names the API key whose IP ACL no request created: a key limited by a list that is not there would be limited by nothing. */
function checkApiKeyLists(app: FastifyInstance, kickstart: ResolvedKickstart): void {
  kickstart.apiKeys.forEach(({ ipAccessControlListId }, index) => {
    if (ipAccessControlListId !== undefined && !app.standin.stores.ipAcls.get(ipAccessControlListId)) {
      throw new KickstartError(`apiKeys[${index}]: "ipAccessControlListId" ${ipAccessControlListId} names no IP ACL, and no request created one`);
    }
  });
}

function insertApiKeys(app: FastifyInstance, kickstart: ResolvedKickstart, now: number): void {
  for (const { key, description, tenantId, permissions, expirationInstant, keyManager, ipAccessControlListId } of kickstart.apiKeys) {
    app.standin.stores.apiKeys.insert(
      {
        id: randomUUID(),
        insertInstant: now,
        lastUpdateInstant: now,
        ...(keyManager === true ? { keyManager } : {}),
        ...(description === undefined ? {} : { description }),
        ...(tenantId === undefined ? {} : { tenantId }),
        ...(permissions === undefined ? {} : { permissions }),
        ...(expirationInstant === undefined ? {} : { expirationInstant }),
        ...(ipAccessControlListId === undefined ? {} : { ipAccessControlListId }),
      },
      key,
    );
  }
}
