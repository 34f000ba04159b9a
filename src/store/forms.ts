import type { Form } from '../model/form.js';
import type { Db } from './open-database.js';

export type FormStore = ReturnType<typeof createFormStore>;

/** Forms (Forms API); a form an application or tenant names is not deleted (manage/forms.ts checks first). */
export function createFormStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO forms (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE forms SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM forms WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM forms WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM forms ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM forms WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as Form;

  return {
    insert: (form: Form) => void insert.run(form.id, form.name, JSON.stringify(form)),
    update: (form: Form) => void update.run(form.name, JSON.stringify(form), form.id),
    get: (id: string): Form | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The id of the form with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    /** Every form, by name. */
    list: (): Form[] => all.all().map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
