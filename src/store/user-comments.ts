import type { Db } from './open-database.js';
import { whereClause } from './where-clause.js';

export type UserCommentStore = ReturnType<typeof createUserCommentStore>;

/** A comment on a user (FusionAuth's UserComment, https://fusionauth.io/docs/apis/users, "Comment on a User"). */
export interface UserComment {
  id: string;
  userId: string;
  commenterId: string;
  comment: string;
  insertInstant: number;
}

export interface UserCommentQuery {
  userId?: string | undefined;
  commenterId?: string | undefined;
  /** A SQL LIKE pattern over the comment, `\` escaping; matched without regard to ASCII case. */
  commentLike?: string | undefined;
  tenantId?: string | undefined;
  orderBy: { field: keyof typeof USER_COMMENT_ORDER_FIELDS; descending: boolean };
  startRow: number;
  numberOfResults: number;
}

export const USER_COMMENT_ORDER_FIELDS = {
  insertInstant: 'c.insert_instant',
  id: 'c.id',
  userId: 'c.user_id',
  commenterId: 'c.commenter_id',
} as const;

interface Row {
  id: string;
  user_id: string;
  commenter_id: string;
  comment: string;
  insert_instant: number;
}

const COLUMNS = 'c.id, c.user_id, c.commenter_id, c.comment, c.insert_instant';

/** Comments on users, deleted with their user. */
export function createUserCommentStore(db: Db) {
  const insert = db.prepare<[string, string, string, number, string]>(
    'INSERT INTO user_comments (id, user_id, commenter_id, insert_instant, comment) VALUES (?, ?, ?, ?, ?)',
  );
  const ofUser = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM user_comments c WHERE c.user_id = ? ORDER BY c.insert_instant, c.rowid`);
  return {
    insert: (comment: UserComment): void => void insert.run(comment.id, comment.userId, comment.commenterId, comment.insertInstant, comment.comment),
    ofUser: (userId: string): UserComment[] => ofUser.all(userId).map(toComment),
    search: (query: UserCommentQuery): { comments: UserComment[]; total: number } => {
      const { sql: filter, params } = whereClause([
        ['c.user_id = ?', query.userId],
        ['c.commenter_id = ?', query.commenterId],
        ['u.tenant_id = ?', query.tenantId],
        ["c.comment LIKE ? ESCAPE '\\'", query.commentLike],
      ]);
      const from = `FROM user_comments c JOIN users u ON u.id = c.user_id ${filter}`;
      const total = (db.prepare(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
      // The column comes from a fixed table of names, never from the request.
      const order = `${USER_COMMENT_ORDER_FIELDS[query.orderBy.field]} ${query.orderBy.descending ? 'DESC' : 'ASC'}, c.rowid`;
      const rows = db
        .prepare(`SELECT ${COLUMNS} ${from} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...params, query.numberOfResults, query.startRow) as Row[];
      return { comments: rows.map(toComment), total };
    },
  };
}

function toComment(row: Row): UserComment {
  return { id: row.id, userId: row.user_id, commenterId: row.commenter_id, comment: row.comment, insertInstant: row.insert_instant };
}
