import type { FusionAuthClient } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import { startClientStandin, type ClientStandin } from './client-standin.js';
import { CLIENT_TENANT_ID } from './constants.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export const HOOK_USER = 'hook-user';
export const HOOK_PASSWORD = 'hook-pass:word';

export interface WebhookStandin extends ClientStandin {
  receiver: WebhookReceiver;
  webhookId: string;
  /** The key the webhook signs with (the tenant's access token key, published in the JWKS). */
  signingKeyId: string;
}

/** Turns `types` on in the tenant's eventConfiguration, with one transaction type for all. */
export async function enableEvents(client: FusionAuthClient, types: string[], transactionType = 'None'): Promise<void> {
  const events = Object.fromEntries(types.map((type) => [type, { enabled: true, transactionType }]));
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { eventConfiguration: { events } } } as never);
}

/**
 * A client Standin (client-standin.ts) with a receiver on loopback and one global webhook to it for `types`,
 * enabled on the tenant: signed with the tenant's key, with a custom header and HTTP Basic credentials.
 */
export async function startWebhookStandin(t: Test, types: string[], transactionType = 'None'): Promise<WebhookStandin> {
  const standin = await startClientStandin(t);
  const receiver = await startWebhookReceiver();
  t.teardown(() => receiver.close());
  const { client } = standin;
  const tenant = await client.retrieveTenant(CLIENT_TENANT_ID);
  const signingKeyId = tenant.response.tenant!.jwtConfiguration!.accessTokenKeyId!;
  await enableEvents(client, types, transactionType);
  const created = await client.createWebhook(null as never, {
    webhook: {
      url: receiver.url,
      connectTimeout: 1000,
      readTimeout: 2000,
      global: true,
      eventsEnabled: Object.fromEntries(types.map((type) => [type, true])) as never,
      headers: { 'X-Api-Key': 'receiver-secret' },
      httpAuthenticationUsername: HOOK_USER,
      httpAuthenticationPassword: HOOK_PASSWORD,
      signatureConfiguration: { enabled: true, signingKeyId },
    },
  });
  return { ...standin, receiver, webhookId: created.response.webhook!.id!, signingKeyId };
}
