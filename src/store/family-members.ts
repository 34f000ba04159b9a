import type { JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Db } from './open-database.js';

export type FamilyMemberStore = ReturnType<typeof createFamilyMemberStore>;

export type FamilyRole = 'Adult' | 'Teen' | 'Child';

/** One member of a family (FusionAuth's FamilyMember, https://fusionauth.io/docs/apis/families). */
export interface FamilyMember {
  familyId: string;
  userId: string;
  role: FamilyRole;
  owner: boolean;
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

interface Row {
  family_id: string;
  user_id: string;
  role: string;
  owner: number;
  data: string;
  insert_instant: number;
  last_update_instant: number;
}

const COLUMNS = 'family_id, user_id, role, owner, data, insert_instant, last_update_instant';

/** Family members; a family is the members that share a family id, and is gone with its last member. */
export function createFamilyMemberStore(db: Db) {
  const upsert = db.prepare<[string, string, string, number, string, number, number]>(
    `INSERT INTO family_members (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (family_id, user_id) DO UPDATE SET role = excluded.role, owner = excluded.owner, last_update_instant = excluded.last_update_instant`,
  );
  const ofFamily = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM family_members WHERE family_id = ? ORDER BY insert_instant, rowid`);
  const familiesOf = db.prepare<[string], { family_id: string }>('SELECT family_id FROM family_members WHERE user_id = ? ORDER BY family_id');
  const remove = db.prepare<[string, string]>('DELETE FROM family_members WHERE family_id = ? AND user_id = ?');
  // The users whose parentEmail names this address: children waiting for a parent (Family API, "Retrieve Pending Family Members").
  const pending = db.prepare<[string], { body: string }>(
    "SELECT body FROM users WHERE lower(json_extract(body, '$.parentEmail')) = ? ORDER BY rowid",
  );

  return {
    /** Adds the member, or changes the role and owner of one already in the family (its insertInstant and data stay). */
    upsert: (member: FamilyMember) =>
      void upsert.run(
        member.familyId,
        member.userId,
        member.role,
        member.owner ? 1 : 0,
        JSON.stringify(member.data),
        member.insertInstant,
        member.lastUpdateInstant,
      ),
    /** The members of a family, in the order they joined; empty when there is no such family. */
    ofFamily: (familyId: string): FamilyMember[] => ofFamily.all(familyId).map(toMember),
    /** The ids of the families a user is in. */
    familyIdsOf: (userId: string): string[] => familiesOf.all(userId).map((row) => row.family_id),
    delete: (familyId: string, userId: string): boolean => remove.run(familyId, userId).changes === 1,
    /** Users of any tenant whose parentEmail is this address, without regard to case. */
    pendingChildren: (parentEmail: string): User[] => pending.all(parentEmail.toLowerCase()).map((row) => JSON.parse(row.body) as User),
  };
}

function toMember(row: Row): FamilyMember {
  return {
    familyId: row.family_id,
    userId: row.user_id,
    role: row.role as FamilyRole,
    owner: row.owner === 1,
    data: JSON.parse(row.data) as JsonObject,
    insertInstant: row.insert_instant,
    lastUpdateInstant: row.last_update_instant,
  };
}
