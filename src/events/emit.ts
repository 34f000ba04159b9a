import { createHash, randomUUID } from 'node:crypto';
import { ApiError } from '../errors.js';
import { eventSettingOf, transactionSucceeded } from '../model/event-configuration.js';
import type { JsonObject } from '../model/json.js';
import { webhookHearsTenant, type Webhook } from '../model/webhook.js';
import type { Standin } from '../standin.js';
import { eventTenantId, type WebhookAttemptLog, type WebhookEventLog } from '../store/webhook-event-logs.js';
import { faultedDelivery } from './delivery-fault.js';
import { postWebhook } from './post-webhook.js';

/** What a caller knows of an event; `id` and `createInstant` are added here. */
export interface EventInput extends JsonObject {
  type: string;
  /** The tenant whose `eventConfiguration` and webhooks decide; absent for an event of no tenant. */
  tenantId?: string;
  /** The user, group or token the event is about (FusionAuth's `linkedObjectId`). */
  linkedObjectId?: string;
}

/** An event that went to its webhooks before its write, waiting for the write's outcome. */
export interface EventTransaction {
  /** The write committed: the log says Succeeded, failed webhooks are retried. */
  commit(): void;
  /** The write failed after the webhooks agreed: the log says Failed, nothing is retried. */
  abort(): void;
}

/** How long a transactional event may wait for its webhooks (below Standin's 30 s request timeout). */
const TRANSACTION_DEADLINE_MS = 25_000;

const NOTHING: EventTransaction = { commit: () => undefined, abort: () => undefined };

/**
 * FusionAuth's 504 when too few webhooks accepted a transactional event
 * (https://fusionauth.io/docs/extend/events-and-webhooks/, "Transaction Failures").
 */
export function webhookTransactionError(): ApiError {
  return ApiError.general(
    '[WebhookTransactionException]',
    'One or more webhooks returned an invalid response or were unreachable. Based on your transaction configuration, your action cannot be completed.',
    504,
  );
}

/**
 * Sends an event whose write has committed: to every webhook that enables its type and hears its tenant, when
 * the tenant enables the type (https://fusionauth.io/docs/extend/events-and-webhooks/, the three switches). Never
 * waits and never fails the caller: the deliveries go through the bounded queue. A transactional setting cannot
 * undo a write already made, so here it only changes nothing (docs/webhooks.md, "Transactions").
 */
export function emitEvent(standin: Standin, event: EventInput | (() => EventInput | undefined)): void {
  // An event built only when some webhook could hear it: a login's payload costs queries.
  if (!standin.stores.db.open || !standin.stores.webhooks.any()) return;
  const input = typeof event === 'function' ? event() : event;
  if (!input) return;
  const planned = plan(standin, input);
  if (!planned) return;
  const { log, targets, body } = planned;
  let pending = targets.length;
  for (const webhook of targets) {
    const queued = standin.events.queue.push(async () => {
      const ok = await attempt(standin, log, webhook, body);
      if (!ok) scheduleRetry(standin, log, webhook, body, 0);
      if (--pending === 0) settle(standin, log, 'Succeeded');
    });
    if (!queued) {
      record(standin, log, webhook, standin.config.now(), { ok: false, exception: 'QueueFull' });
      if (--pending === 0) settle(standin, log, 'Succeeded');
    }
  }
}

/**
 * Runs an event's deliveries before its write, as FusionAuth does for transactional events: when the tenant's
 * `transactionType` for it is not `None`, waits for every webhook that should hear it and throws FusionAuth's 504
 * when too few answered 2xx, before anything is written. With `None` (or nothing to send) nothing is sent yet:
 * `commit()` sends it as `emitEvent` would, after the write.
 */
export async function beginEvent(standin: Standin, input: EventInput): Promise<EventTransaction> {
  if (!standin.stores.db.open || !standin.stores.webhooks.any()) return NOTHING;
  const setting = settingOf(standin, input);
  if (!setting?.enabled) return NOTHING;
  if (setting.transactionType === 'None')
    return {
      commit: () => {
        emitEvent(standin, input);
      },
      abort: () => undefined,
    };
  const planned = plan(standin, input);
  if (!planned) return NOTHING;
  const { log, targets, body } = planned;
  // In parallel, as FusionAuth calls them, and outside the queue: the request is waiting for them. One still
  // running at the deadline counts as failed, so the caller gets the 504 before the server's 30 s request timeout.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>(
    (resolve) =>
      (timer = setTimeout(() => {
        resolve(false);
      }, TRANSACTION_DEADLINE_MS)),
  );
  const results = await Promise.all(targets.map((webhook) => Promise.race([attempt(standin, log, webhook, body), deadline])));
  clearTimeout(timer);
  const succeeded = results.filter(Boolean).length;
  if (!transactionSucceeded(setting.transactionType, succeeded, targets.length)) {
    // "There are no retries, since the webhook transaction level was not met" (writing-a-webhook, "Retries").
    settle(standin, log, 'Failed');
    throw webhookTransactionError();
  }
  return {
    commit() {
      targets.forEach((webhook, index) => {
        if (!results[index]) scheduleRetry(standin, log, webhook, body, 0);
      });
      settle(standin, log, 'Succeeded');
    },
    abort: () => {
      settle(standin, log, 'Failed');
    },
  };
}

/**
 * The events FusionAuth follows with a `.complete` event once the write has committed, never transactional
 * (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-create-complete).
 */
const COMPLETED = new Set([
  'user.create',
  'user.update',
  'user.delete',
  'user.registration.create',
  'user.registration.update',
  'user.registration.delete',
  // https://fusionauth.io/docs/extend/events-and-webhooks/events/entity/entity-create-complete and its siblings.
  'entity.create',
  'entity.update',
  'entity.delete',
  // https://fusionauth.io/docs/extend/events-and-webhooks/events/group-create-complete and its siblings.
  'group.create',
  'group.update',
  'group.delete',
  'group.member.add',
  'group.member.update',
  'group.member.remove',
]);

/**
 * The shape of every write that emits events: each event's deliveries first (transactional ones wait and may
 * refuse the write with a 504), then the synchronous write, then each event's commit and, for those FusionAuth
 * completes, its `.complete` event (docs/webhooks.md, "Transactions"). A write that throws sends nothing.
 */
export async function withEvents<T>(standin: Standin, inputs: readonly EventInput[], write: () => T): Promise<T> {
  const begun: EventTransaction[] = [];
  let result: T;
  try {
    for (const input of inputs) begun.push(await beginEvent(standin, input));
    result = write();
  } catch (error) {
    for (const transaction of begun) transaction.abort();
    throw error;
  }
  for (const transaction of begun) transaction.commit();
  for (const input of inputs) if (COMPLETED.has(input.type)) emitEvent(standin, { ...input, type: `${input.type}.complete` });
  return result;
}

function settingOf(standin: Standin, input: EventInput) {
  if (standin.events.closed || !standin.stores.db.open) return undefined;
  const tenant = input.tenantId === undefined ? undefined : standin.stores.tenants.get(input.tenantId);
  return eventSettingOf(tenant, input.type);
}

/** The webhooks that hear this event and its log, or undefined when none does (nothing is recorded then). */
function plan(standin: Standin, input: EventInput): { log: WebhookEventLog; targets: Webhook[]; body: string } | undefined {
  const { stores } = standin;
  if (standin.events.closed || !stores.db.open) return undefined;
  const webhooks = stores.webhooks.list();
  if (webhooks.length === 0) return undefined;
  const targets = webhooks.filter((webhook) => webhook.eventsEnabled[input.type] === true && webhookHearsTenant(webhook, input.tenantId));
  if (targets.length === 0 || !settingOf(standin, input)?.enabled) return undefined;
  const now = standin.config.now();
  const event = { event: { id: randomUUID(), createInstant: now, ...input } };
  const body = JSON.stringify(event);
  const log: WebhookEventLog = {
    id: randomUUID(),
    insertInstant: now,
    lastUpdateInstant: now,
    event,
    eventType: input.type,
    eventResult: 'Running',
    ...(input.linkedObjectId === undefined ? {} : { linkedObjectId: input.linkedObjectId }),
    sequence: 0,
    failedAttempts: 0,
    successfulAttempts: 0,
    attempts: [],
    data: {},
  };
  log.sequence = stores.webhookEventLogs.insert(log, input.tenantId);
  standin.events.opened(log);
  return { log, targets, body };
}

/** One delivery, recorded on the log; true on a 2xx. */
async function attempt(standin: Standin, log: WebhookEventLog, webhook: Webhook, body: string): Promise<boolean> {
  const start = standin.config.now();
  let signature: string | undefined;
  const { enabled, signingKeyId } = webhook.signatureConfiguration;
  if (enabled && signingKeyId !== undefined) {
    try {
      // https://fusionauth.io/docs/extend/events-and-webhooks/signing: the payload is only the body's SHA-256, base64.
      signature = await standin.jwt.sign(signingKeyId, { request_body_sha256: createHash('sha256').update(body, 'utf8').digest('base64') });
    } catch {
      // The key was deleted since: nothing unsigned goes out when a signature was asked for.
      record(standin, log, webhook, start, { ok: false, exception: 'SigningKeyUnavailable' });
      return false;
    }
  }
  // A fault queued through the control API stands in for the receiver (docs/webhooks.md, "Faults").
  const faulted = await faultedDelivery(standin.control.faults, webhook);
  const outcome = faulted === undefined || faulted === 'proceed' ? await postWebhook(webhook, body, signature) : faulted;
  record(standin, log, webhook, start, outcome);
  return outcome.ok;
}

function record(
  standin: Standin,
  log: WebhookEventLog,
  webhook: Webhook,
  start: number,
  outcome: { ok: boolean; statusCode?: number; exception?: string },
): void {
  const end = standin.config.now();
  const entry: WebhookAttemptLog = {
    id: randomUUID(),
    webhookEventLogId: log.id,
    webhookId: webhook.id,
    startInstant: start,
    endInstant: end,
    attemptResult: outcome.ok ? 'Success' : 'Failure',
    webhookCallResponse: {
      url: webhook.url,
      ...(outcome.statusCode === undefined ? {} : { statusCode: outcome.statusCode }),
      ...(outcome.exception === undefined ? {} : { exception: outcome.exception }),
    },
    data: {},
  };
  log.attempts.push(entry);
  if (outcome.ok) log.successfulAttempts += 1;
  else log.failedAttempts += 1;
  log.lastAttemptInstant = end;
  log.lastUpdateInstant = end;
  if (!outcome.ok) {
    // Which webhook and why, never its URL's query, its headers or the body (docs/webhooks.md, "Security").
    standin.events.log.warn(
      { webhookId: webhook.id, eventType: log.eventType, statusCode: outcome.statusCode, exception: outcome.exception },
      'webhook delivery failed',
    );
  }
  if (standin.stores.db.open) standin.stores.webhookEventLogs.update(log);
}

function settle(standin: Standin, log: WebhookEventLog, result: 'Succeeded' | 'Failed'): void {
  log.eventResult = result;
  log.lastUpdateInstant = standin.config.now();
  if (!standin.stores.db.open) return;
  standin.stores.webhookEventLogs.update(log);
  standin.events.settled(log);
}

function scheduleRetry(standin: Standin, log: WebhookEventLog, webhook: Webhook, body: string, retry: number): void {
  const delay = standin.events.retryDelaysMs[retry];
  if (delay === undefined) return;
  standin.events.later(delay, () => {
    // The webhook as it is now: deleted, no longer enabled for the event or no longer hearing its tenant means no retry.
    const current = standin.stores.db.open ? standin.stores.webhooks.get(webhook.id) : undefined;
    if (!current || current.eventsEnabled[log.eventType] !== true || !webhookHearsTenant(current, eventTenantId(log))) return;
    standin.events.queue.push(async () => {
      if (!(await attempt(standin, log, current, body))) scheduleRetry(standin, log, current, body, retry + 1);
    });
  });
}
