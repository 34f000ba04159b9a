import type { MessageTemplate } from '../model/message-template.js';
import type { Db } from './open-database.js';

export type MessageTemplateStore = ReturnType<typeof createMessageTemplateStore>;

/** Message templates (Message Template API); one a tenant or application names is not deleted (manage/messengers.ts). */
export function createMessageTemplateStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO message_templates (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE message_templates SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM message_templates WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM message_templates ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM message_templates WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as MessageTemplate;

  return {
    insert: (template: MessageTemplate) => void insert.run(template.id, template.name, JSON.stringify(template)),
    update: (template: MessageTemplate) => void update.run(template.name, JSON.stringify(template), template.id),
    get: (id: string): MessageTemplate | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** Every message template, by name. */
    list: (): MessageTemplate[] => all.all().map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
