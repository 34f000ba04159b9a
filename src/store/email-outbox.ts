import type { Db } from './open-database.js';
import { whereClause, type SqlValue } from './where-clause.js';

export type Delivery = 'none' | 'pending' | 'sent' | 'failed';

/** One email as Standin rendered it, with what a test needs parsed out of it. */
export interface OutboxEmail {
  id: string;
  /** Milliseconds, at Standin's clock. */
  createdAt: number;
  type: string;
  from: { address: string; name?: string };
  to: { address: string; name?: string };
  cc: string[];
  bcc: string[];
  subject: string;
  html: string;
  text: string;
  headers: Array<{ name: string; value: string }>;
  templateId?: string;
  tenantId?: string;
  applicationId?: string;
  userId?: string;
  /** Every http(s) link in the bodies, in order, without duplicates. */
  links: string[];
  /** The ids and codes the email was rendered with (verificationId, changePasswordId, code, …). */
  verificationId?: string;
  verificationOneTimeCode?: string;
  changePasswordId?: string;
  code?: string;
  oneTimeCode?: string;
  delivery: Delivery;
  attempts: number;
  /** Why the last delivery attempt failed, without secrets. */
  lastError?: string;
}

export interface OutboxFilter {
  to?: string;
  type?: string;
  /** Only emails stored after this sequence number (for waiting). */
  afterSeq?: number;
  limit?: number;
}

export type EmailOutboxStore = ReturnType<typeof createEmailOutboxStore>;

export function createEmailOutboxStore(db: Db) {
  const insert = db.prepare<[string, number, string, string, Delivery, string]>(
    'INSERT INTO email_outbox (id, created_at, to_address, type, delivery, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], { body: string; delivery: Delivery }>('SELECT body, delivery FROM email_outbox WHERE id = ?');
  const setBody = db.prepare<[Delivery, string, string]>('UPDATE email_outbox SET delivery = ?, body = ? WHERE id = ?');
  const clear = db.prepare('DELETE FROM email_outbox');
  const lastSeq = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM email_outbox');

  return {
    insert: (email: OutboxEmail) =>
      void insert.run(email.id, email.createdAt, email.to.address.toLowerCase(), email.type, email.delivery, JSON.stringify(email)),
    get: (id: string): OutboxEmail | undefined => {
      const row = byId.get(id);
      return row ? { ...(JSON.parse(row.body) as OutboxEmail), delivery: row.delivery } : undefined;
    },
    /** Records a delivery attempt's outcome; a row cleared in the meantime stays cleared. */
    update: (email: OutboxEmail) => void setBody.run(email.delivery, JSON.stringify(email), email.id),
    /** Newest first. */
    list: (filter: OutboxFilter = {}): OutboxEmail[] => {
      const where = whereClause([
        ['to_address = ?', filter.to?.toLowerCase()],
        ['type = ?', filter.type],
        ['seq > ?', filter.afterSeq],
      ]);
      return db
        .prepare<SqlValue[], { body: string; delivery: Delivery }>(`SELECT body, delivery FROM email_outbox ${where.sql} ORDER BY seq DESC LIMIT ?`)
        .all(...where.params, filter.limit ?? 100)
        .map((row) => ({ ...(JSON.parse(row.body) as OutboxEmail), delivery: row.delivery }));
    },
    /** The newest sequence number, 0 when empty: a wait looks only at emails after it. */
    lastSeq: (): number => lastSeq.get()?.seq ?? 0,
    clear: (): number => clear.run().changes,
  };
}
