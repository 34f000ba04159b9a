import { createWaitList } from '../control/wait-list.js';
import type { EmailOutboxStore, OutboxEmail } from '../store/email-outbox.js';

export interface EmailFilter {
  to?: string;
  type?: string;
}

/** The outbox as tests see it (`GET /_standin/emails`, `standin.emails()`): newest first, filtered, waitable. */
export interface Outbox {
  add(email: OutboxEmail): void;
  /** Newest first; at most `limit` (default 100). */
  list(filter?: EmailFilter & { limit?: number }): OutboxEmail[];
  get(id: string): OutboxEmail | undefined;
  /**
   * The newest email matching `filter`: one already in the outbox, else the first that arrives within
   * `timeoutMs`; undefined when none does. Clear the outbox first to wait only for a new one.
   */
  waitFor(filter: EmailFilter, timeoutMs: number): Promise<OutboxEmail | undefined>;
  /** Deletes every email; returns how many. */
  clear(): number;
  /** Resolves every waiter with nothing (on close). */
  close(): void;
}

/** The longest a wait may last, so that no request or test hangs on a mistake. */
export const MAX_WAIT_MS = 60_000;

export function createOutbox(store: EmailOutboxStore): Outbox {
  const matches = (email: OutboxEmail, filter: EmailFilter) =>
    (filter.to === undefined || email.to.address.toLowerCase() === filter.to.toLowerCase()) &&
    (filter.type === undefined || email.type === filter.type);
  const waiters = createWaitList(matches, MAX_WAIT_MS);

  return {
    add(email) {
      store.insert(email);
      waiters.announce(email, () => store.get(email.id) ?? email);
    },
    list: (filter = {}) => store.list(filter),
    get: (id) => store.get(id),
    waitFor(filter, timeoutMs) {
      const existing = store.list({ ...filter, limit: 1 })[0];
      if (existing || timeoutMs <= 0) return Promise.resolve(existing);
      return waiters.wait(filter, timeoutMs);
    },
    clear: () => store.clear(),
    close: () => {
      waiters.close();
    },
  };
}
