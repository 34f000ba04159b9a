import type { Webhook } from '../model/webhook.js';
import type { Db } from './open-database.js';

export type WebhookStore = ReturnType<typeof createWebhookStore>;

export function createWebhookStore(db: Db) {
  const insert = db.prepare<[string, string]>('INSERT INTO webhooks (id, body) VALUES (?, ?)');
  const update = db.prepare<[string, string]>('UPDATE webhooks SET body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM webhooks WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM webhooks ORDER BY rowid');
  const remove = db.prepare<[string]>('DELETE FROM webhooks WHERE id = ?');
  const anyRow = db.prepare<[], { one: number }>('SELECT 1 AS one FROM webhooks LIMIT 1');

  return {
    insert: (webhook: Webhook) => void insert.run(webhook.id, JSON.stringify(webhook)),
    update: (webhook: Webhook) => void update.run(JSON.stringify(webhook), webhook.id),
    get: (id: string): Webhook | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? (JSON.parse(row.body) as Webhook) : undefined;
    },
    /** All webhooks, oldest first. */
    list: (): Webhook[] => all.all().map((row) => JSON.parse(row.body) as Webhook),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
    /** Whether any webhook exists: with none, no event is even built. */
    any: (): boolean => anyRow.get() !== undefined,
  };
}
