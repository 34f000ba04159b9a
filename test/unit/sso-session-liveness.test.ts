import Database from 'better-sqlite3';
import t from 'tap';
import { DEFAULT_SSO_IDLE_SECONDS, isSsoSessionLive, ssoIdleLimitMs } from '../../src/model/sso-session-liveness.js';
import { migrate } from '../../src/store/migrate.js';
import { createSsoSessionStore, SSO_IDLE_LIMIT_MS_SQL, SSO_SESSION_LIVE_SQL } from '../../src/store/sso-sessions.js';
import { createTokenAdmin } from '../../src/store/token-admin.js';

const NOW = Date.UTC(2026, 0, 1);

// Three tenants: a short and a long idle limit, and one whose body does not set it (the default applies).
const TENANTS = [
  { id: '00000000-0000-4000-8000-00000000000a', httpSessionMaxInactiveInterval: 60 },
  { id: '00000000-0000-4000-8000-00000000000b', httpSessionMaxInactiveInterval: 7200 },
  { id: '00000000-0000-4000-8000-00000000000c', httpSessionMaxInactiveInterval: undefined },
];

// Idle times around the bound: well inside, one ms short of it, exactly on it, one ms past it, far past
// it, and a last use after "now" (the control clock moved back).
const idleTimes = (limitMs: number) => [0, 1, limitMs - 1, limitMs, limitMs + 1, 10 * limitMs, -1000];

function setUp() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const sessions = createSsoSessionStore(db);
  const cases: { id: string; tenantId: string; lastUsed: number; limitMs: number }[] = [];
  for (const [n, tenant] of TENANTS.entries()) {
    const body = tenant.httpSessionMaxInactiveInterval === undefined ? {} : { httpSessionMaxInactiveInterval: tenant.httpSessionMaxInactiveInterval };
    db.prepare('INSERT INTO tenants (id, name, body) VALUES (?, ?, ?)').run(tenant.id, `tenant ${n}`, JSON.stringify(body));
    const userId = `00000000-0000-4000-8000-0000000001${n}0`;
    db.prepare('INSERT INTO users (id, tenant_id, body) VALUES (?, ?, ?)').run(userId, tenant.id, '{}');
    const limitMs = ssoIdleLimitMs(
      tenant.httpSessionMaxInactiveInterval === undefined ? undefined : { httpSessionMaxInactiveInterval: tenant.httpSessionMaxInactiveInterval },
    );
    for (const [i, idle] of idleTimes(limitMs).entries()) {
      const id = `00000000-0000-4000-8000-0000000002${n}${i}`;
      sessions.insert({ id, userId, tenantId: tenant.id, authTime: NOW - idle, lastUsed: NOW - idle, persistent: false }, `cookie-${n}-${i}`);
      cases.push({ id, tenantId: tenant.id, lastUsed: NOW - idle, limitMs });
    }
  }
  return { db, cases };
}

t.test('the idle limit is the tenant’s httpSessionMaxInactiveInterval in ms, else the default', async (t) => {
  t.equal(ssoIdleLimitMs({ httpSessionMaxInactiveInterval: 60 }), 60_000);
  t.equal(ssoIdleLimitMs(undefined), DEFAULT_SSO_IDLE_SECONDS * 1000);
  t.equal(DEFAULT_SSO_IDLE_SECONDS, 3600, "FusionAuth's default: one hour");
});

t.test('a session is live while idle for less than the limit, and over from the instant it reaches it', async (t) => {
  t.equal(isSsoSessionLive(NOW - 59_999, 60_000, NOW), true);
  t.equal(isSsoSessionLive(NOW - 60_000, 60_000, NOW), false);
  t.equal(isSsoSessionLive(NOW - 60_001, 60_000, NOW), false);
});

t.test('the SQL idle limit and liveness agree with the functions, row by row', async (t) => {
  const { db, cases } = setUp();
  const rows = db
    .prepare<{ now: number }, { id: string; idle_ms: number; live: number }>(
      `SELECT id, ${SSO_IDLE_LIMIT_MS_SQL} AS idle_ms, ${SSO_SESSION_LIVE_SQL} AS live FROM sso_sessions`,
    )
    .all({ now: NOW });
  t.equal(rows.length, cases.length);
  for (const row of rows) {
    const expected = cases.find((c) => c.id === row.id)!;
    t.equal(row.idle_ms, expected.limitMs, `${row.id}: idle limit`);
    t.equal(
      row.live === 1,
      isSsoSessionLive(expected.lastUsed, expected.limitMs, NOW),
      `${row.id}: idle ${NOW - expected.lastUsed} ms of ${expected.limitMs}`,
    );
  }
});

t.test('the control API listing and expiry follow the same rule', async (t) => {
  const { db, cases } = setUp();
  const admin = createTokenAdmin(db);
  const listed = admin.ssoSessions({}, NOW);
  for (const session of listed) {
    const expected = cases.find((c) => c.id === session.id)!;
    t.equal(session.expired, !isSsoSessionLive(expected.lastUsed, expected.limitMs, NOW), `${session.id}: expired`);
    t.equal(session.expiresAt, expected.lastUsed + expected.limitMs, `${session.id}: expiresAt`);
  }
  // Expiring acts on the live sessions only, and leaves each exactly on its bound: no longer live.
  for (const c of cases) {
    const counts = admin.expire({ ssoSessionId: c.id }, NOW);
    t.equal(counts.ssoSessions, isSsoSessionLive(c.lastUsed, c.limitMs, NOW) ? 1 : 0, `${c.id}: expired only when live`);
  }
  t.ok(
    admin.ssoSessions({}, NOW).every((session) => session.expired),
    'every session is over after expiry',
  );
});
