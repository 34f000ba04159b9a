import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import { buildWebhook, type Webhook, type WebhookContext } from '../model/webhook.js';
import type { Stores } from '../store/index.js';

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
  if (stores.webhooks.get(webhookId))
    new FieldErrors().add('webhookId', 'duplicate', `A webhook with Id [${webhookId}] already exists.`).throwIfAny();
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

export interface WebhookSearch {
  description?: string;
  url?: string;
  tenantId?: string;
  startRow: number;
  numberOfResults: number;
}

/**
 * FusionAuth's webhook search (https://fusionauth.io/docs/apis/webhooks, "Search for Webhooks"): `description` and
 * `url` match case-insensitively anywhere, `*` standing for anything; `tenantId` finds the webhooks that hear
 * that tenant (global ones included).
 */
export function searchWebhooks(stores: Stores, search: WebhookSearch): { webhooks: Webhook[]; total: number } {
  const description = pattern(search.description);
  const url = pattern(search.url);
  const tenantId = search.tenantId?.toLowerCase();
  const matching = stores.webhooks
    .list()
    .filter((webhook) => description === undefined || description.test(webhook.description ?? ''))
    .filter((webhook) => url === undefined || url.test(webhook.url))
    .filter((webhook) => tenantId === undefined || webhook.global || webhook.tenantIds.includes(tenantId));
  return { webhooks: matching.slice(search.startRow, search.startRow + search.numberOfResults), total: matching.length };
}

function pattern(value: string | undefined): RegExp | undefined {
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  return new RegExp(
    value
      .trim()
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
    'i',
  );
}
