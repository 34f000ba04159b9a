import type { IpAccessControlList } from '../model/ip-acl.js';
import type { Db } from './open-database.js';

export type IpAclStore = ReturnType<typeof createIpAclStore>;

/** FusionAuth's IP Access Control Lists (https://fusionauth.io/docs/apis/ip-acl), one row each. */
export function createIpAclStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO ip_acls (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE ip_acls SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM ip_acls WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM ip_acls WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM ip_acls ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM ip_acls WHERE id = ?');
  const anyStored = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM ip_acls)').pluck();
  const parse = (row: { body: string }) => JSON.parse(row.body) as IpAccessControlList;

  return {
    insert: (list: IpAccessControlList) => void insert.run(list.id, list.name, JSON.stringify(list)),
    update: (list: IpAccessControlList) => void update.run(list.name, JSON.stringify(list), list.id),
    get: (id: string): IpAccessControlList | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The id of the list with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    list: (): IpAccessControlList[] => all.all().map(parse),
    /** Whether any list is stored: with none, no request needs its page's list looked up. */
    any: (): boolean => anyStored.get() === 1,
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
