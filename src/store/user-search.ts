import type { User } from '../model/user.js';
import type { Db } from './open-database.js';

/** The sort fields FusionAuth's database search engine accepts (Search for Users API, `sortFields[x].name`). */
export const USER_SORT_FIELDS = [
  'birthDate',
  'email',
  'fullName',
  'id',
  'insertInstant',
  'lastLoginInstant',
  'login',
  'phoneNumber',
  'tenantId',
  'username',
] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

// Each sort field as a fixed SQL expression: a request chooses among these, and never adds SQL of its own.
const SORT_SQL: Record<UserSortField, string> = {
  birthDate: "json_extract(body, '$.birthDate')",
  email: 'email',
  fullName: "standin_lower(json_extract(body, '$.fullName'))",
  id: 'id',
  insertInstant: "json_extract(body, '$.insertInstant')",
  lastLoginInstant: "json_extract(body, '$.lastLoginInstant')",
  login: 'coalesce(email, username)',
  phoneNumber: "json_extract(body, '$.phoneNumber')",
  tenantId: 'tenant_id',
  username: 'username',
};

export interface UserQuery {
  /** Only this tenant's users; every tenant's when absent. */
  tenantId?: string;
  /** A LIKE pattern, lower-cased, with `\` escaping; absent matches every user. */
  pattern?: string;
  sort: Array<{ name: UserSortField; order: 'asc' | 'desc' }>;
  limit: number;
  offset: number;
}

export type UserSearchStore = ReturnType<typeof createUserSearchStore>;

// The fields the database search engine matches (Search for Users API, `queryString`). Email and username
// are kept lower-cased in their columns; the names are read from the body and lower-cased by `standin_lower`
// (JavaScript's toLowerCase, since SQLite's lower() folds ASCII only).
const WHERE = `(@tenantId IS NULL OR tenant_id = @tenantId) AND (@pattern IS NULL
  OR email LIKE @pattern ESCAPE '\\' OR username LIKE @pattern ESCAPE '\\'
  OR standin_lower(json_extract(body, '$.firstName')) LIKE @pattern ESCAPE '\\'
  OR standin_lower(json_extract(body, '$.lastName')) LIKE @pattern ESCAPE '\\'
  OR standin_lower(json_extract(body, '$.fullName')) LIKE @pattern ESCAPE '\\'
  OR standin_lower(json_extract(body, '$.phoneNumber')) LIKE @pattern ESCAPE '\\')`;

/** User search by query, as FusionAuth's database search engine does it: one page, and the number of matches. */
export function createUserSearchStore(db: Db) {
  db.function('standin_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.normalize('NFKC').toLowerCase() : value,
  );
  const count = db.prepare<[{ tenantId: string | null; pattern: string | null }], { n: number }>(`SELECT count(*) AS n FROM users WHERE ${WHERE}`);
  // One prepared statement per sort shape, built only from SORT_SQL and the two directions.
  type PageParams = { tenantId: string | null; pattern: string | null; limit: number; offset: number };
  const pages = new Map<string, ReturnType<typeof db.prepare<[PageParams], { body: string }>>>();
  const page = (sort: UserQuery['sort']) => {
    const shape = sort.map(({ name, order }) => `${name}:${order}`).join(',');
    let statement = pages.get(shape);
    if (!statement) {
      const order = sort.map(({ name, order }) => `(${SORT_SQL[name]}) IS NULL, ${SORT_SQL[name]} ${order === 'desc' ? 'DESC' : 'ASC'}`);
      statement = db.prepare<[PageParams], { body: string }>(
        `SELECT body FROM users WHERE ${WHERE} ORDER BY ${[...order, 'rowid'].join(', ')} LIMIT @limit OFFSET @offset`,
      );
      pages.set(shape, statement);
    }
    return statement;
  };

  return {
    search(query: UserQuery): { users: User[]; total: number } {
      const tenantId = query.tenantId ?? null;
      const pattern = query.pattern ?? null;
      const users = page(query.sort)
        .all({ tenantId, pattern, limit: query.limit, offset: query.offset })
        .map((row) => JSON.parse(row.body) as User);
      return { users, total: count.get({ tenantId, pattern })!.n };
    },
  };
}
