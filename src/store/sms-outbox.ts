import type { Db } from './open-database.js';
import { whereClause, type SqlValue } from './where-clause.js';

/** `sent`: the receiver answered 2xx; `failed`: it answered otherwise, timed out or could not be reached. */
export type SmsDelivery = 'sent' | 'failed';

/** One text message Standin sent (or tried to) through a messenger, as tests read it (`GET /_standin/sms`). */
export interface OutboxSms {
  id: string;
  /** Milliseconds, at Standin's clock. */
  createdAt: number;
  /** What the message is for: `twoFactorCode`. */
  type: string;
  messageType: 'SMS';
  phoneNumber: string;
  textMessage: string;
  /** The two-factor code the message carries. */
  code?: string;
  messengerId: string;
  messengerType: string;
  templateId?: string;
  tenantId: string;
  applicationId?: string;
  userId: string;
  delivery: SmsDelivery;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why the send failed, without the messenger's URL or credentials. */
  error?: string;
}

export interface SmsFilter {
  to?: string;
  type?: string;
  limit?: number;
}

export type SmsOutboxStore = ReturnType<typeof createSmsOutboxStore>;

/** The SMS outbox (migrations/033): every message kept whole as JSON, newest first. */
export function createSmsOutboxStore(db: Db) {
  const insert = db.prepare<[string, number, string, SmsDelivery, string]>(
    'INSERT INTO sms_outbox (id, created_at, phone_number, delivery, body) VALUES (?, ?, ?, ?, ?)',
  );
  const clear = db.prepare('DELETE FROM sms_outbox');

  return {
    insert: (sms: OutboxSms) => void insert.run(sms.id, sms.createdAt, sms.phoneNumber, sms.delivery, JSON.stringify(sms)),
    /** Newest first. */
    list: (filter: SmsFilter = {}): OutboxSms[] => {
      const where = whereClause([
        ['phone_number = ?', filter.to],
        ["json_extract(body, '$.type') = ?", filter.type],
      ]);
      return db
        .prepare<SqlValue[], { body: string }>(`SELECT body FROM sms_outbox ${where.sql} ORDER BY seq DESC LIMIT ?`)
        .all(...where.params, filter.limit ?? 100)
        .map((row) => JSON.parse(row.body) as OutboxSms);
    },
    clear: (): number => clear.run().changes,
  };
}
