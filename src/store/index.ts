import { createApiKeyStore, type ApiKeyStore } from './api-keys.js';
import { createApplicationStore, type ApplicationStore } from './applications.js';
import { createKeyStore, type KeyStore } from './keys.js';
import { createMetaStore, type MetaStore } from './meta.js';
import type { Db } from './open-database.js';
import { createRegistrationStore, type RegistrationStore } from './registrations.js';
import { createSystemConfigurationStore, type SystemConfigurationStore } from './system-configuration.js';
import { createTenantStore, type TenantStore } from './tenants.js';
import { createUserStore, type UserStore } from './users.js';

export interface Stores {
  db: Db;
  tenants: TenantStore;
  applications: ApplicationStore;
  users: UserStore;
  registrations: RegistrationStore;
  keys: KeyStore;
  apiKeys: ApiKeyStore;
  systemConfiguration: SystemConfigurationStore;
  meta: MetaStore;
  /** FusionAuth kickstarts only a database with no API keys, users or tenants. */
  isEmpty(): boolean;
}

export function createStores(db: Db): Stores {
  const tenants = createTenantStore(db);
  const users = createUserStore(db);
  const apiKeys = createApiKeyStore(db);
  return {
    db,
    tenants,
    applications: createApplicationStore(db),
    users,
    registrations: createRegistrationStore(db),
    keys: createKeyStore(db),
    apiKeys,
    systemConfiguration: createSystemConfigurationStore(db),
    meta: createMetaStore(db),
    isEmpty: () => tenants.count() === 0 && users.count() === 0 && apiKeys.count() === 0,
  };
}
