/**
 * Waiters for something a test expects to arrive (an email, a webhook event): each waits with a filter until a
 * matching item is announced, its timeout passes (capped at `maxWaitMs`), or the list closes.
 */
export interface WaitList<T, F> {
  /** Resolves with the first item announced that matches `filter`, or undefined after `timeoutMs`. */
  wait(filter: F, timeoutMs: number): Promise<T | undefined>;
  /** Hands `item` to every waiter it matches; `resolved` gives what they receive (by default the item itself). */
  announce(item: T, resolved?: () => T): void;
  /** Resolves every waiter with nothing, and every later wait at once (on close). */
  close(): void;
}

export function createWaitList<T, F>(matches: (item: T, filter: F) => boolean, maxWaitMs: number): WaitList<T, F> {
  const waiters = new Set<{ filter: F; resolve: (item: T | undefined) => void }>();
  // A wait can begin after close: a long poll whose request was accepted before the server began to close, but whose
  // handler ran after (its route family still being built, say). The server waits for it to answer, so it must not
  // wait for its timeout.
  let closed = false;
  return {
    wait(filter, timeoutMs) {
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const waiter = {
          filter,
          resolve: (item: T | undefined) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(item);
          },
        };
        const timer = setTimeout(
          () => {
            waiter.resolve(undefined);
          },
          Math.min(timeoutMs, maxWaitMs),
        );
        waiters.add(waiter);
      });
    },
    announce(item, resolved = () => item) {
      for (const waiter of [...waiters]) if (matches(item, waiter.filter)) waiter.resolve(resolved());
    },
    close() {
      closed = true;
      for (const waiter of [...waiters]) waiter.resolve(undefined);
    },
  };
}
