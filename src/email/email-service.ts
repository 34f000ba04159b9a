import type { Stores } from '../store/index.js';
import { createEmailDelivery, type DeliveryLog, type EmailDelivery } from './delivery.js';
import { createOutbox, type Outbox } from './outbox.js';

/** Standin's email machinery, shared as `standin.email`: the outbox tests read and the SMTP delivery queue. */
export interface EmailService {
  outbox: Outbox;
  delivery: EmailDelivery;
  close(): Promise<void>;
}

export function createEmailService(stores: Stores, log: DeliveryLog, retryDelaysMs?: readonly number[]): EmailService {
  const outbox = createOutbox(stores.emailOutbox);
  const delivery = createEmailDelivery({
    log,
    ...(retryDelaysMs ? { retryDelaysMs } : {}),
    // Each attempt's outcome lands on the outbox copy; one cleared meanwhile stays cleared.
    record(result) {
      // After close the database is gone; the outcome of an attempt that was already under way is dropped.
      if (!stores.db.open) return;
      const email = stores.emailOutbox.get(result.id);
      if (!email) return;
      stores.emailOutbox.update({
        ...email,
        attempts: result.attempt,
        delivery: result.outcome === 'sent' ? 'sent' : result.outcome === 'failed' ? 'failed' : 'pending',
        ...(result.error === undefined ? {} : { lastError: result.error }),
      });
    },
  });
  return {
    outbox,
    delivery,
    async close() {
      outbox.close();
      await delivery.close();
    },
  };
}
