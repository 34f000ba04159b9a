import type { Db } from './open-database.js';
import { openSealedSecret, sealSecret } from './sealed-secrets.js';
import { hashSecret } from './secrets.js';

export type VerificationKind = 'email' | 'registration';
export type VerificationStrategy = 'ClickableLink' | 'FormField';

/** What the Identity Verify API's start asks to keep with a verification (docs/email-verification.md). */
export interface VerificationOptions {
  /** The strategy the start chose; unset follows the tenant's (or application's) setting when it is used. */
  strategy?: VerificationStrategy | undefined;
  /** Handed back, as given, by the Complete API. */
  state?: Record<string, unknown> | undefined;
  /** The application whose verification template a later Send uses (email verification). */
  templateApplicationId?: string | undefined;
}

/** A live verification: whose it is, which application (registration verification), and which address. */
export interface VerificationGrant {
  userId: string;
  applicationId: string | undefined;
  email: string;
  strategy: VerificationStrategy | undefined;
  state: Record<string, unknown> | undefined;
  templateApplicationId: string | undefined;
}

export type VerificationIdStore = ReturnType<typeof createVerificationIdStore>;

/**
 * Email and registration verification ids with their one-time codes, stored hashed. A user has one live id per
 * kind (and application): issuing a new one replaces the old. Taking one deletes it in the same statement, so it
 * verifies once at most; an expired one is as good as unknown.
 */
export function createVerificationIdStore(db: Db) {
  const upsert = db.prepare<[string, VerificationKind, string, string, string, string, number, string | null, string | null, string | null, string]>(
    `INSERT INTO verification_ids (id_hash, kind, user_id, application_id, email, code_hash, expires_at, strategy, state,
       template_application_id, sealed_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, user_id, application_id) DO UPDATE SET id_hash = excluded.id_hash, email = excluded.email,
       code_hash = excluded.code_hash, expires_at = excluded.expires_at, strategy = excluded.strategy, state = excluded.state,
       template_application_id = excluded.template_application_id, sealed_code = excluded.sealed_code`,
  );
  const columns = 'user_id, application_id, email, code_hash, strategy, state, template_application_id, sealed_code';
  const find = db.prepare<[string, VerificationKind, number], Row>(
    `SELECT ${columns} FROM verification_ids WHERE id_hash = ? AND kind = ? AND expires_at > ?`,
  );
  const findByCode = db.prepare<[VerificationKind, string, string, number], Row>(
    `SELECT ${columns} FROM verification_ids WHERE kind = ? AND user_id = ? AND code_hash = ? AND expires_at > ?`,
  );
  const remove = db.prepare<[VerificationKind, string, string]>('DELETE FROM verification_ids WHERE kind = ? AND user_id = ? AND application_id = ?');
  const purge = db.prepare<[number]>('DELETE FROM verification_ids WHERE expires_at <= ?');

  const grant = (row: Row): VerificationGrant => ({
    userId: row.user_id,
    applicationId: row.application_id === '' ? undefined : row.application_id,
    email: row.email,
    strategy: row.strategy ?? undefined,
    state: row.state === null ? undefined : (JSON.parse(row.state) as Record<string, unknown>),
    templateApplicationId: row.template_application_id ?? undefined,
  });
  return {
    /** Stores a new id and code for the user, replacing any live one of the same kind and application. */
    issue: (
      kind: VerificationKind,
      id: string,
      code: string,
      userId: string,
      applicationId: string | undefined,
      email: string,
      expiresAt: number,
      options: VerificationOptions = {},
    ) =>
      void upsert.run(
        hashSecret(id),
        kind,
        userId,
        applicationId ?? '',
        email,
        hashSecret(code),
        expiresAt,
        options.strategy ?? null,
        options.state === undefined ? null : JSON.stringify(options.state),
        options.templateApplicationId ?? null,
        sealSecret(code, id),
      ),
    /** The live grant for an id, left in place; with `code`, only when the code matches too. */
    find: (kind: VerificationKind, id: string, now: number, code?: string): VerificationGrant | undefined => {
      const row = find.get(hashSecret(id), kind, now);
      if (!row || (code !== undefined && row.code_hash !== hashSecret(code))) return undefined;
      return grant(row);
    },
    /** The one-time code of a live verification, given its id (the Identity Verify API's Send emails it). */
    oneTimeCode: (kind: VerificationKind, id: string, now: number): string | undefined => {
      const row = find.get(hashSecret(id), kind, now);
      return row?.sealed_code ? openSealedSecret(row.sealed_code, id) : undefined;
    },
    /** The live grant of a user whose one-time code this is (the form-field strategy with a userId). */
    findByCode: (kind: VerificationKind, userId: string, code: string, now: number): VerificationGrant | undefined => {
      const row = findByCode.get(kind, userId, hashSecret(code), now);
      return row ? grant(row) : undefined;
    },
    /** Ends the user's live verification of this kind (after it is used, or when it no longer applies). */
    remove: (kind: VerificationKind, userId: string, applicationId: string | undefined): boolean =>
      remove.run(kind, userId, applicationId ?? '').changes === 1,
    purgeExpired: (now: number): number => purge.run(now).changes,
  };
}

interface Row {
  user_id: string;
  application_id: string;
  email: string;
  code_hash: string;
  strategy: VerificationStrategy | null;
  state: string | null;
  template_application_id: string | null;
  sealed_code: string | null;
}
