import type { Registration } from '../model/registration.js';
import type { Db } from './open-database.js';

export type RegistrationStore = ReturnType<typeof createRegistrationStore>;

export function createRegistrationStore(db: Db) {
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO registrations (id, user_id, application_id, body) VALUES (?, ?, ?, ?)');
  const update = db.prepare<[string, string]>('UPDATE registrations SET body = ? WHERE id = ?');
  const byId = db.prepare<[string], { found: 1 }>('SELECT 1 AS found FROM registrations WHERE id = ?');
  const one = db.prepare<[string, string], { body: string }>('SELECT body FROM registrations WHERE user_id = ? AND application_id = ?');
  const ofUser = db.prepare<[string], { body: string }>('SELECT body FROM registrations WHERE user_id = ? ORDER BY rowid');
  const ofApplication = db.prepare<[string], { user_id: string }>('SELECT user_id FROM registrations WHERE application_id = ? ORDER BY rowid');
  const remove = db.prepare<[string, string]>('DELETE FROM registrations WHERE user_id = ? AND application_id = ?');

  return {
    insert: (userId: string, registration: Registration) =>
      void insert.run(registration.id, userId, registration.applicationId, JSON.stringify(registration)),
    update: (registration: Registration) => void update.run(JSON.stringify(registration), registration.id),
    exists: (id: string): boolean => byId.get(id) !== undefined,
    get: (userId: string, applicationId: string): Registration | undefined => {
      const row = one.get(userId, applicationId);
      return row ? (JSON.parse(row.body) as Registration) : undefined;
    },
    ofUser: (userId: string): Registration[] => ofUser.all(userId).map((row) => JSON.parse(row.body) as Registration),
    userIdsOf: (applicationId: string): string[] => ofApplication.all(applicationId).map((row) => row.user_id),
    delete: (userId: string, applicationId: string): boolean => remove.run(userId, applicationId).changes === 1,
  };
}
