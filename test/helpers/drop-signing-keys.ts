import { CLIENT_TENANT_ID, type ClientStandin } from './fixtures.js';

// Signing keys gone from a running Standin, for the tests of what logins and grants answer then
// (docs/built-ins-and-defaults.md, "When no key can sign").

/**
 * Takes the signing keys off the client tenant as a database written by an earlier Standin could hold it (a tenant
 * created without keys), and returns the function that puts them back.
 */
export function dropTenantKeys(standin: ClientStandin): () => void {
  const { tenants } = standin.app.standin.stores;
  const tenant = tenants.get(CLIENT_TENANT_ID)!;
  const { accessTokenKeyId: _access, idTokenKeyId: _id, ...rest } = tenant.jwtConfiguration;
  tenants.update({ ...tenant, jwtConfiguration: rest });
  return () => {
    tenants.update({ ...tenants.get(CLIENT_TENANT_ID)!, jwtConfiguration: tenant.jwtConfiguration });
  };
}

/**
 * Points `applicationId` at a key of its own (for both tokens, or only its id tokens), then takes the key away behind
 * the Key API's back (the API refuses to delete a key in use): the application names a key that no longer exists.
 */
export async function dropApplicationKey(standin: ClientStandin, applicationId: string, tokens: 'both' | 'id' = 'both'): Promise<void> {
  const { client } = standin;
  const key = (await client.generateKey(null as never, { key: { algorithm: 'RS256' as never, name: `Key of ${applicationId}` } })).response.key!;
  const jwtConfiguration = { enabled: true, ...(tokens === 'both' ? { accessTokenKeyId: key.id } : {}), idTokenKeyId: key.id };
  await client.patchApplication(applicationId, { application: { jwtConfiguration } } as never);
  standin.app.standin.stores.keys.delete(key.id!);
}
