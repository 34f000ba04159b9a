import type { GroupMember } from '../model/group.js';
import type { Db } from './open-database.js';
import { whereClause } from './where-clause.js';

export type GroupMemberStore = ReturnType<typeof createGroupMemberStore>;

export interface MemberQuery {
  groupId?: string | undefined;
  userId?: string | undefined;
  /** Only the members of this tenant's groups. */
  tenantId?: string | undefined;
  orderBy: MemberOrder;
  startRow: number;
  numberOfResults: number;
}

export const MEMBER_ORDER_FIELDS = { groupId: 'm.group_id', id: 'm.id', insertInstant: 'm.insert_instant', userId: 'm.user_id' } as const;

export interface MemberOrder {
  field: keyof typeof MEMBER_ORDER_FIELDS;
  descending: boolean;
}

interface Row {
  id: string;
  group_id: string;
  user_id: string;
  insert_instant: number;
  data: string;
}

const COLUMNS = 'm.id, m.group_id, m.user_id, m.insert_instant, m.data';

export function createGroupMemberStore(db: Db) {
  const insert = db.prepare<[string, string, string, number, string]>(
    'INSERT INTO group_members (id, group_id, user_id, insert_instant, data) VALUES (?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM group_members m WHERE m.id = ?`);
  const one = db.prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM group_members m WHERE m.group_id = ? AND m.user_id = ?`);
  const ofUser = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM group_members m WHERE m.user_id = ? ORDER BY m.rowid`);
  const removeById = db.prepare<[string]>('DELETE FROM group_members WHERE id = ?');
  const removeOne = db.prepare<[string, string]>('DELETE FROM group_members WHERE group_id = ? AND user_id = ?');
  const removeAll = db.prepare<[string]>('DELETE FROM group_members WHERE group_id = ?');

  return {
    insert: (member: GroupMember) => void insert.run(member.id, member.groupId, member.userId, member.insertInstant, JSON.stringify(member.data)),
    get: (id: string): GroupMember | undefined => toMember(byId.get(id)),
    find: (groupId: string, userId: string): GroupMember | undefined => toMember(one.get(groupId, userId)),
    ofUser: (userId: string): GroupMember[] => ofUser.all(userId).map((row) => toMember(row)!),
    delete: (id: string): boolean => removeById.run(id).changes === 1,
    /** Removes the user from the group, or every member when `userId` is left out; the number removed. */
    deleteOf: (groupId: string, userId?: string): number => (userId === undefined ? removeAll.run(groupId) : removeOne.run(groupId, userId)).changes,
    search: (query: MemberQuery): { members: GroupMember[]; total: number } => {
      const { sql: filter, params } = whereClause([
        ['m.group_id = ?', query.groupId],
        ['m.user_id = ?', query.userId],
        ['g.tenant_id = ?', query.tenantId],
      ]);
      const from = `FROM group_members m JOIN groups g ON g.id = m.group_id ${filter}`;
      const total = (db.prepare(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
      // The column comes from a fixed table of names, never from the request.
      const order = `${MEMBER_ORDER_FIELDS[query.orderBy.field]} ${query.orderBy.descending ? 'DESC' : 'ASC'}, m.rowid`;
      const rows = db
        .prepare(`SELECT ${COLUMNS} ${from} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...params, query.numberOfResults, query.startRow) as Row[];
      return { members: rows.map((row) => toMember(row)!), total };
    },
  };
}

function toMember(row: Row | undefined): GroupMember | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    groupId: row.group_id,
    userId: row.user_id,
    insertInstant: row.insert_instant,
    data: JSON.parse(row.data) as GroupMember['data'],
  };
}
