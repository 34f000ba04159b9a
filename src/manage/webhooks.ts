import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import { buildWebhook, type Webhook, type WebhookContext } from '../model/webhook.js';
import type { Stores } from '../store/index.js';
import { searchObjects, type Found } from './search.js';

function contextOf(stores: Stores, id: string, now: number, existing?: Webhook): WebhookContext {
  return {
    id,
    now,
    ...(existing ? { existing } : {}),
    // A built-in OpenID Connect key has no material of its own (it signs with a client secret): it cannot sign a webhook.
    signingKeyUsable: (keyId) => stores.keys.get(keyId)?.privateKey !== undefined,
    tenantExists: (tenantId) => stores.tenants.get(tenantId) !== undefined,
  };
}

export function createWebhook(stores: Stores, now: number, id: string | undefined, input: JsonObject): Webhook {
  const webhookId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(stores.webhooks.get(webhookId) !== undefined, 'webhookId', 'A webhook', webhookId);
  const webhook = buildWebhook(input, contextOf(stores, webhookId, now));
  stores.webhooks.insert(webhook);
  return webhook;
}

/** PUT replaces the webhook with `input`; PATCH merges `input` into it (RFC 7396). */
export function updateWebhook(stores: Stores, now: number, existing: Webhook, input: JsonObject, mode: 'replace' | 'merge'): Webhook {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const webhook = buildWebhook(isObject(next) ? next : {}, contextOf(stores, existing.id, now, existing));
  stores.webhooks.update(webhook);
  return webhook;
}

/**
 * FusionAuth's Search for Webhooks (https://fusionauth.io/docs/apis/webhooks): `description` and `url` as text;
 * `tenantId` finds the webhooks that hear that tenant, global ones included; ordered by `description` (the default:
 * FusionAuth's docs say `name`, which a webhook does not have), `id`, `insertInstant` or `url`.
 */
export function searchWebhooks(stores: Stores, criteria: unknown, prefix: string): Found<Webhook> {
  return searchObjects(
    stores.webhooks.list(),
    criteria,
    {
      orderBy: {
        description: (webhook) => webhook.description,
        id: (webhook) => webhook.id,
        insertInstant: (webhook) => webhook.insertInstant,
        url: (webhook) => webhook.url,
      },
      defaultOrder: 'description',
      text: { description: (webhook) => webhook.description, url: (webhook) => webhook.url },
      ids: { tenantId: (webhook, tenantId) => webhook.global || webhook.tenantIds.includes(tenantId) },
    },
    prefix,
  );
}
