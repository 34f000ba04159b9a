import type { Messenger } from '../model/messenger.js';
import type { Db } from './open-database.js';

export type MessengerStore = ReturnType<typeof createMessengerStore>;

/** Messengers (Messenger API); one a tenant names is not deleted (manage/messengers.ts checks first). */
export function createMessengerStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO messengers (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE messengers SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM messengers WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM messengers WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM messengers ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM messengers WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as Messenger;

  return {
    insert: (messenger: Messenger) => void insert.run(messenger.id, messenger.name, JSON.stringify(messenger)),
    update: (messenger: Messenger) => void update.run(messenger.name, JSON.stringify(messenger), messenger.id),
    get: (id: string): Messenger | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The id of the messenger with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    /** Every messenger, by name. */
    list: (): Messenger[] => all.all().map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
