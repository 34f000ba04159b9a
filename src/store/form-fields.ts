import type { FormField } from '../model/form-field.js';
import type { Db } from './open-database.js';

export type FormFieldStore = ReturnType<typeof createFormFieldStore>;

/** Form fields (Form Field API); a field in use by a form is not deleted (manage/forms.ts checks first). */
export function createFormFieldStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO form_fields (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE form_fields SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM form_fields WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM form_fields WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM form_fields ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM form_fields WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as FormField;

  return {
    insert: (field: FormField) => void insert.run(field.id, field.name, JSON.stringify(field)),
    update: (field: FormField) => void update.run(field.name, JSON.stringify(field), field.id),
    get: (id: string): FormField | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The id of the field with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    /** Every form field, by name. */
    list: (): FormField[] => all.all().map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
