import type { JsonObject } from '../model/json.js';
import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/** What a device authorization request asked for (RFC 8628 §3.1): its client, tenant, scope and the device's metadata. */
export interface DeviceGrant {
  applicationId: string;
  tenantId: string;
  scope: string;
  deviceInfo: JsonObject;
  /** Milliseconds. */
  expiresAt: number;
}

/** The user who approved a device, and how they had logged in (the tokens' auth_time, authenticationType, sid). */
export interface DeviceApproval {
  userId: string;
  /** Milliseconds. */
  authTime: number;
  authenticationType: string;
  ssoSessionId?: string;
}

/** Where a polled device code stands (RFC 8628 §3.5). */
export type DevicePoll =
  | { state: 'unknown' }
  | { state: 'expired'; grant: DeviceGrant }
  | { state: 'pending'; grant: DeviceGrant }
  | { state: 'approved'; grant: DeviceGrant; approval: DeviceApproval };

type Row = { application_id: string; tenant_id: string; expires_at: number; body: string; approval: string | null; consumed_at: number | null };

export type DeviceCodeStore = ReturnType<typeof createDeviceCodeStore>;

/** A user code as typed: case and the separators people add (`ABC-DEF`, `abc def`) do not matter. */
export function normalizeUserCode(userCode: string): string {
  return userCode.replace(/[\s-]/g, '').toUpperCase();
}

/** Device codes (migrations/015): both codes stored hashed; approving and redeeming are each one conditional write. */
export function createDeviceCodeStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, number, string]>(
    'INSERT INTO device_codes (device_code_hash, user_code_hash, application_id, tenant_id, expires_at, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const userCodeTaken = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM device_codes WHERE user_code_hash = ?');
  const byUserCode = db.prepare<[string], Row>(
    'SELECT application_id, tenant_id, expires_at, body, approval, consumed_at FROM device_codes WHERE user_code_hash = ?',
  );
  const approve = db.prepare<[string, string, string, number], Row>(
    `UPDATE device_codes SET user_id = ?, approval = ? WHERE user_code_hash = ? AND user_id IS NULL AND expires_at > ?
     RETURNING application_id, tenant_id, expires_at, body, approval, consumed_at`,
  );
  const byDeviceCode = db.prepare<[string], Row>(
    'SELECT application_id, tenant_id, expires_at, body, approval, consumed_at FROM device_codes WHERE device_code_hash = ?',
  );
  // One conditional write: of two polls racing for an approved code, exactly one redeems it (RFC 8628 §3.5, §5.3).
  const consume = db.prepare<[number, string, number]>(
    'UPDATE device_codes SET consumed_at = ? WHERE device_code_hash = ? AND user_id IS NOT NULL AND consumed_at IS NULL AND expires_at > ?',
  );
  const purge = db.prepare<[number]>('DELETE FROM device_codes WHERE expires_at <= ?');
  const grantOf = (row: Row): DeviceGrant => {
    const body = JSON.parse(row.body) as { scope: string; deviceInfo: JsonObject };
    return { applicationId: row.application_id, tenantId: row.tenant_id, scope: body.scope, deviceInfo: body.deviceInfo, expiresAt: row.expires_at };
  };

  return {
    insert: (deviceCode: string, userCode: string, grant: DeviceGrant) =>
      void insert.run(
        hashSecret(deviceCode),
        hashSecret(normalizeUserCode(userCode)),
        grant.applicationId,
        grant.tenantId,
        grant.expiresAt,
        JSON.stringify({ scope: grant.scope, deviceInfo: grant.deviceInfo }),
      ),
    /** Whether some stored code, live or not, has this user code (a new one must differ from every other). */
    userCodeTaken: (userCode: string): boolean => userCodeTaken.get(hashSecret(normalizeUserCode(userCode))) !== undefined,
    /** The grant of this user code, expired or not, and whether a user approved it already. */
    byUserCode: (userCode: string): { grant: DeviceGrant; approved: boolean } | undefined => {
      const row = byUserCode.get(hashSecret(normalizeUserCode(userCode)));
      return row ? { grant: grantOf(row), approved: row.approval !== null } : undefined;
    },
    /** Approves the live pending code for a user; undefined when there is no such code (unknown, expired, approved already). */
    approve: (userCode: string, approval: DeviceApproval, now: number): DeviceGrant | undefined => {
      const row = approve.get(approval.userId, JSON.stringify(approval), hashSecret(normalizeUserCode(userCode)), now);
      return row ? grantOf(row) : undefined;
    },
    /** Where a device code stands; a redeemed code is unknown from then on. */
    poll: (deviceCode: string, now: number): DevicePoll => {
      const row = byDeviceCode.get(hashSecret(deviceCode));
      if (!row || row.consumed_at !== null) return { state: 'unknown' };
      const grant = grantOf(row);
      if (row.expires_at <= now) return { state: 'expired', grant };
      if (row.approval === null) return { state: 'pending', grant };
      return { state: 'approved', grant, approval: JSON.parse(row.approval) as DeviceApproval };
    },
    /** Redeems an approved live code: true for exactly one caller. */
    consume: (deviceCode: string, now: number): boolean => consume.run(now, hashSecret(deviceCode), now).changes === 1,
    /** Codes past their expiry are kept no longer than that. */
    purgeExpired: (now: number): number => purge.run(now).changes,
  };
}
