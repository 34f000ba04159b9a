/**
 * A fixed bound on webhook deliveries in flight: at most `concurrency` run at once, up to `maxQueued` wait, and a
 * task past that is refused (the caller records it as failed) rather than growing memory without bound when a
 * receiver is dead. Tasks must not throw.
 */
export interface DeliveryQueue {
  /** Runs `task` when a slot frees; false when the queue is full. */
  push(task: () => Promise<void>): boolean;
  readonly running: number;
  readonly waiting: number;
  /** Resolves once nothing runs or waits (for tests and close). */
  idle(): Promise<void>;
  /** Drops what waits; what runs finishes on its own. */
  close(): void;
}

export function createDeliveryQueue(concurrency: number, maxQueued: number): DeliveryQueue {
  const waiting: Array<() => Promise<void>> = [];
  let running = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const settle = () => {
    if (running === 0 && waiting.length === 0) {
      const done = idleWaiters;
      idleWaiters = [];
      for (const resolve of done) resolve();
    }
  };
  const next = () => {
    while (!closed && running < concurrency && waiting.length > 0) {
      const task = waiting.shift()!;
      running += 1;
      void task()
        .catch(() => undefined)
        .finally(() => {
          running -= 1;
          next();
          settle();
        });
    }
  };

  return {
    push(task) {
      if (closed || waiting.length >= maxQueued) return false;
      waiting.push(task);
      next();
      return true;
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
    idle: () => (running === 0 && waiting.length === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    close() {
      closed = true;
      waiting.length = 0;
      settle();
    },
  };
}
