import type { EmailTemplate } from '../model/email-template.js';
import type { Db } from './open-database.js';

export type EmailTemplateStore = ReturnType<typeof createEmailTemplateStore>;

export function createEmailTemplateStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO email_templates (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE email_templates SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM email_templates WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM email_templates ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM email_templates WHERE id = ?');

  return {
    insert: (template: EmailTemplate) => void insert.run(template.id, template.name, JSON.stringify(template)),
    update: (template: EmailTemplate) => void update.run(template.name, JSON.stringify(template), template.id),
    get: (id: string): EmailTemplate | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? (JSON.parse(row.body) as EmailTemplate) : undefined;
    },
    /** All templates, by name. */
    list: (): EmailTemplate[] => all.all().map((row) => JSON.parse(row.body) as EmailTemplate),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
