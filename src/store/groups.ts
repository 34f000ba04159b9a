import type { Group } from '../model/group.js';
import type { Db } from './open-database.js';
import { whereClause } from './where-clause.js';

export type GroupStore = ReturnType<typeof createGroupStore>;

/** An application role a group grants. */
export interface GroupRole {
  applicationId: string;
  roleId: string;
}

export interface GroupQuery {
  tenantId?: string | undefined;
  /** A SQL LIKE pattern over the name, `\` escaping; matched without regard to ASCII case. */
  nameLike?: string | undefined;
  orderBy: GroupOrder;
  startRow: number;
  numberOfResults: number;
}

export const GROUP_ORDER_FIELDS = { id: 'g.id', insertInstant: "json_extract(g.body, '$.insertInstant')", name: 'g.name', tenant: 't.name' } as const;

export interface GroupOrder {
  field: keyof typeof GROUP_ORDER_FIELDS;
  descending: boolean;
}

export function createGroupStore(db: Db) {
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO groups (id, tenant_id, name, body) VALUES (?, ?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE groups SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM groups WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM groups ORDER BY rowid');
  const ofTenant = db.prepare<[string], { body: string }>('SELECT body FROM groups WHERE tenant_id = ? ORDER BY rowid');
  const named = db.prepare<[string, string], { id: string }>('SELECT id FROM groups WHERE tenant_id = ? AND name = ?');
  const remove = db.prepare<[string]>('DELETE FROM groups WHERE id = ?');
  const roles = db.prepare<[string], { application_id: string; role_id: string }>(
    'SELECT application_id, role_id FROM group_application_roles WHERE group_id = ? ORDER BY rowid',
  );
  const clearRoles = db.prepare<[string]>('DELETE FROM group_application_roles WHERE group_id = ?');
  const addRole = db.prepare<[string, string, string]>(
    'INSERT OR IGNORE INTO group_application_roles (group_id, application_id, role_id) VALUES (?, ?, ?)',
  );
  const roleIdsFor = db.prepare<[string, string], { role_id: string }>(
    // CROSS JOIN keeps the user's memberships as the outer loop (SQLite's planner would otherwise walk every
    // group role of the application): a few index lookups per token, however many groups there are.
    `SELECT DISTINCT r.role_id FROM group_members m CROSS JOIN group_application_roles r ON r.group_id = m.group_id
     WHERE m.user_id = ? AND r.application_id = ?`,
  );

  const setRoles = (groupId: string, given: readonly GroupRole[]) => {
    clearRoles.run(groupId);
    for (const role of given) addRole.run(groupId, role.applicationId, role.roleId);
  };

  return {
    insert: (group: Group, given: readonly GroupRole[]): void => {
      db.transaction(() => {
        insert.run(group.id, group.tenantId, group.name, JSON.stringify(group));
        setRoles(group.id, given);
      })();
    },
    /** Replaces the group, and its roles when `given` is set. */
    update: (group: Group, given: readonly GroupRole[] | undefined): void => {
      db.transaction(() => {
        update.run(group.name, JSON.stringify(group), group.id);
        if (given) setRoles(group.id, given);
      })();
    },
    get: (id: string): Group | undefined => parse(byId.get(id)),
    list: (tenantId?: string): Group[] => (tenantId === undefined ? all.all() : ofTenant.all(tenantId)).map((row) => parse(row)!),
    idNamed: (tenantId: string, name: string): string | undefined => named.get(tenantId, name)?.id,
    delete: (id: string): boolean => remove.run(id).changes === 1,
    rolesOf: (groupId: string): GroupRole[] => roles.all(groupId).map((row) => ({ applicationId: row.application_id, roleId: row.role_id })),
    /** The ids of the application's roles that the user's groups grant. */
    roleIdsFor: (userId: string, applicationId: string): string[] => roleIdsFor.all(userId, applicationId).map((row) => row.role_id),
    search: (query: GroupQuery): { groups: Group[]; total: number } => {
      const { sql: filter, params } = whereClause([
        ['g.tenant_id = ?', query.tenantId],
        ["g.name LIKE ? ESCAPE '\\'", query.nameLike],
      ]);
      const from = `FROM groups g JOIN tenants t ON t.id = g.tenant_id ${filter}`;
      const total = (db.prepare(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
      // The column comes from a fixed table of names, never from the request.
      const order = `${GROUP_ORDER_FIELDS[query.orderBy.field]} ${query.orderBy.descending ? 'DESC' : 'ASC'}, g.rowid`;
      const rows = db.prepare(`SELECT g.body ${from} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, query.numberOfResults, query.startRow) as {
        body: string;
      }[];
      return { groups: rows.map((row) => parse(row)!), total };
    },
  };
}

function parse(row: { body: string } | undefined): Group | undefined {
  return row ? (JSON.parse(row.body) as Group) : undefined;
}
