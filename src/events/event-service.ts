import type { Stores } from '../store/index.js';
import { eventTenantId, type EventResult, type WebhookEventLog } from '../store/webhook-event-logs.js';
import { createWaitList } from '../control/wait-list.js';
import { createDeliveryQueue, type DeliveryQueue } from './delivery-queue.js';

export interface EventFilter {
  type?: string;
  tenantId?: string;
}

export interface EventLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * Standin's event machinery, shared as `standin.events` (docs/webhooks.md): the bounded delivery queue, retry
 * timers, and the waiters of `GET /_standin/events?wait=`. The rules that decide what is sent live in
 * events/emit.ts.
 */
export interface EventService {
  queue: DeliveryQueue;
  log: EventLog;
  /** Delays before each retry of a failed delivery; their count is the number of retries. */
  retryDelaysMs: readonly number[];
  /** Runs `task` after `ms` unless Standin closes first. */
  later(ms: number, task: () => void): void;
  /** A log this process has just written as `Running` (events/emit.ts). */
  opened(log: WebhookEventLog): void;
  /** Wakes the waiters a log that just left `Running` matches. */
  settled(log: WebhookEventLog): void;
  /**
   * At stop, before the database closes: the logs this process left `Running` become `Failed`, since their queued
   * deliveries are dropped and the outcome of one under way can no longer be recorded. Left `Running`, they would
   * read so forever after a restart.
   */
  abandon(now: number): void;
  /** Newest first: the settled or running logs matching `filter`. */
  list(filter: EventFilter & { limit?: number }): WebhookEventLog[];
  /**
   * The newest log matching `filter` that has settled (Succeeded or Failed), one already there or the first to
   * settle within `timeoutMs`; undefined when none does.
   */
  waitFor(filter: EventFilter, timeoutMs: number): Promise<WebhookEventLog | undefined>;
  clear(): number;
  /** Cancels retries, drops queued deliveries and answers every waiter; resolves when deliveries under way end. */
  close(): Promise<void>;
  readonly closed: boolean;
}

// FusionAuth retries a failed delivery "up to three additional times"
// (https://fusionauth.io/docs/extend/events-and-webhooks/writing-a-webhook, "Retries"); the spacing is Standin's choice.
export const DEFAULT_RETRY_DELAYS_MS = [2_000, 10_000, 30_000] as const;
/** Deliveries in flight at once, and waiting behind them (docs/webhooks.md, "Delivery"). */
export const DELIVERY_CONCURRENCY = 8;
export const DELIVERY_QUEUE_LIMIT = 10_000;
/** The longest a wait may last, so that no request or test hangs on a mistake. */
export const MAX_EVENT_WAIT_MS = 60_000;

export function createEventService(stores: Stores, log: EventLog, retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS): EventService {
  const queue = createDeliveryQueue(DELIVERY_CONCURRENCY, DELIVERY_QUEUE_LIMIT);
  const timers = new Set<NodeJS.Timeout>();
  const running = new Map<string, WebhookEventLog>();
  let closed = false;
  const settledResult = (result: EventResult) => result !== 'Running';
  const matches = (entry: WebhookEventLog, filter: EventFilter) =>
    (filter.type === undefined || entry.eventType === filter.type) && (filter.tenantId === undefined || eventTenantId(entry) === filter.tenantId);
  const waiters = createWaitList(matches, MAX_EVENT_WAIT_MS);
  const search = (filter: EventFilter, limit: number) =>
    stores.webhookEventLogs.search({
      ...(filter.type === undefined ? {} : { eventType: filter.type }),
      ...(filter.tenantId === undefined ? {} : { tenantId: filter.tenantId }),
      numberOfResults: limit,
    }).logs;

  return {
    queue,
    log,
    retryDelaysMs,
    later(ms, task) {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) task();
      }, ms);
      timer.unref();
      timers.add(timer);
    },
    opened: (entry) => {
      running.set(entry.id, entry);
    },
    settled: (entry) => {
      running.delete(entry.id);
      waiters.announce(entry);
    },
    abandon(now) {
      for (const entry of running.values()) stores.webhookEventLogs.update({ ...entry, eventResult: 'Failed', lastUpdateInstant: now });
      running.clear();
    },
    list: (filter) => search(filter, filter.limit ?? 100),
    waitFor(filter, timeoutMs) {
      const existing = search(filter, 50).find((entry) => settledResult(entry.eventResult));
      if (existing || timeoutMs <= 0) return Promise.resolve(existing);
      return waiters.wait(filter, timeoutMs);
    },
    clear: () => stores.webhookEventLogs.clear(),
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      waiters.close();
      queue.close();
      await queue.idle();
    },
  };
}
