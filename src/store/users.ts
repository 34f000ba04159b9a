import { lookupKey, type User } from '../model/user.js';
import type { Db } from './open-database.js';

export type UserStore = ReturnType<typeof createUserStore>;

interface UserRow {
  body: string;
}

/** Users; email and username are kept lower-cased beside the body for case-insensitive lookup. */
export function createUserStore(db: Db) {
  const insert = db.prepare<[string, string, string | null, string | null, string | null, string]>(
    'INSERT INTO users (id, tenant_id, email, username, password_hash, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string | null, string | null, string, string]>('UPDATE users SET email = ?, username = ?, body = ? WHERE id = ?');
  const setHash = db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?');
  const byId = db.prepare<[string], UserRow>('SELECT body FROM users WHERE id = ?');
  const hashById = db.prepare<[string], { password_hash: string | null }>('SELECT password_hash FROM users WHERE id = ?');
  const byEmail = db.prepare<[string, string], UserRow>('SELECT body FROM users WHERE tenant_id = ? AND email = ?');
  const byUsername = db.prepare<[string, string], UserRow>('SELECT body FROM users WHERE tenant_id = ? AND username = ?');
  const idByField = {
    email: db.prepare<[string, string], { id: string }>('SELECT id FROM users WHERE tenant_id = ? AND email = ?'),
    username: db.prepare<[string, string], { id: string }>('SELECT id FROM users WHERE tenant_id = ? AND username = ?'),
  };
  const ofTenant = db.prepare<[string], UserRow>('SELECT body FROM users WHERE tenant_id = ? ORDER BY rowid');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  const remove = db.prepare<[string]>('DELETE FROM users WHERE id = ?');

  const key = (value: string | undefined) => (value === undefined ? null : lookupKey(value));

  return {
    insert: (user: User, passwordHash: string | undefined) =>
      void insert.run(user.id, user.tenantId, key(user.email), key(user.username), passwordHash ?? null, JSON.stringify(user)),
    update: (user: User) => void update.run(key(user.email), key(user.username), JSON.stringify(user), user.id),
    setPasswordHash: (id: string, hash: string) => void setHash.run(hash, id),
    get: (id: string): User | undefined => parse(byId.get(id)),
    passwordHash: (id: string): string | undefined => hashById.get(id)?.password_hash ?? undefined,
    byEmail: (tenantId: string, email: string): User | undefined => parse(byEmail.get(tenantId, lookupKey(email))),
    byUsername: (tenantId: string, username: string): User | undefined => parse(byUsername.get(tenantId, lookupKey(username))),
    /** FusionAuth's loginId: an email or a username. */
    byLoginId: (tenantId: string, loginId: string): User | undefined =>
      parse(byEmail.get(tenantId, lookupKey(loginId)) ?? byUsername.get(tenantId, lookupKey(loginId))),
    /** The id of the tenant's user that holds this email or username. */
    idHolding: (tenantId: string, field: 'email' | 'username', value: string): string | undefined =>
      idByField[field].get(tenantId, lookupKey(value))?.id,
    list: (tenantId: string): User[] => ofTenant.all(tenantId).map((row) => parse(row)!),
    count: (): number => count.get()!.n,
    delete: (id: string): boolean => remove.run(id).changes === 1,
  };
}

function parse(row: UserRow | undefined): User | undefined {
  return row ? (JSON.parse(row.body) as User) : undefined;
}
