import Database from 'better-sqlite3';
import t, { type Test } from 'tap';
import { migrate } from '../../src/store/migrate.js';
import { createDeviceCodeStore, normalizeUserCode } from '../../src/store/device-codes.js';
import { hashSecret } from '../../src/store/secrets.js';

// store/device-codes.ts against the migrated schema: both codes hashed, a user code found however it is typed,
// approving and redeeming each a conditional write (docs/device-grant.md, "Storage").
const T0 = 1_800_000_000_000;
const APP = 'a0000000-0000-4000-8000-000000000001';
const TENANT = 'e0000000-0000-4000-8000-000000000001';
const USER = 'b0000000-0000-4000-8000-000000000001';

function setUp(t: Test) {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  migrate(db);
  db.prepare("INSERT INTO tenants (id, name, body) VALUES (?, 'Default', '{}')").run(TENANT);
  db.prepare("INSERT INTO applications (id, tenant_id, body) VALUES (?, ?, '{}')").run(APP, TENANT);
  db.prepare("INSERT INTO users (id, tenant_id, body) VALUES (?, ?, '{}')").run(USER, TENANT);
  const store = createDeviceCodeStore(db);
  store.insert('device-code-1', 'ABC123', {
    applicationId: APP,
    tenantId: TENANT,
    scope: 'openid',
    deviceInfo: { name: 'TV' },
    expiresAt: T0 + 300_000,
  });
  return { db, store };
}

const approval = { userId: USER, authTime: T0, authenticationType: 'PASSWORD' };

t.test('the codes are stored as their SHA-256 only', (t) => {
  const { db } = setUp(t);
  const row = db.prepare('SELECT device_code_hash, user_code_hash FROM device_codes').get() as Record<string, string>;
  t.same(row, { device_code_hash: hashSecret('device-code-1'), user_code_hash: hashSecret('ABC123') });
  t.end();
});

t.test('a user code is found whatever its case, dashes and spaces', (t) => {
  const { store } = setUp(t);
  t.equal(normalizeUserCode(' abc-12 3'), 'ABC123');
  t.match(store.byUserCode('abc-123'), { grant: { applicationId: APP, scope: 'openid', deviceInfo: { name: 'TV' } }, approved: false });
  t.ok(store.userCodeTaken('Abc 123'));
  t.equal(store.byUserCode('ABC124'), undefined);
  t.end();
});

t.test('pending, then approved once, then redeemed once', (t) => {
  const { store } = setUp(t);
  t.equal(store.poll('device-code-1', T0).state, 'pending');
  t.equal(store.consume('device-code-1', T0), false, 'a pending code cannot be redeemed');
  t.ok(store.approve('abc123', approval, T0), 'approved');
  t.equal(store.approve('ABC123', { ...approval, userId: USER }, T0), undefined, 'a second approval changes nothing');
  t.match(store.poll('device-code-1', T0), { state: 'approved', approval });
  t.equal(store.consume('device-code-1', T0), true);
  t.equal(store.consume('device-code-1', T0), false, 'the second redemption loses');
  t.same(store.poll('device-code-1', T0), { state: 'unknown' }, 'a redeemed code is unknown from then on');
  t.end();
});

t.test('past its expiry a code is expired, cannot be approved or redeemed, and is purged', (t) => {
  const { store } = setUp(t);
  const later = T0 + 300_000;
  t.equal(store.poll('device-code-1', later).state, 'expired');
  t.equal(store.approve('ABC123', approval, later), undefined);
  t.equal(store.purgeExpired(later), 1);
  t.same(store.poll('device-code-1', later), { state: 'unknown' });
  t.end();
});
