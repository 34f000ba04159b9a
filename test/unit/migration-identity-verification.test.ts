import Database from 'better-sqlite3';
import t from 'tap';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { createVerificationIdStore } from '../../src/store/verification-ids.js';

// Migration 028 adds what the Identity Verify API keeps with a verification (strategy, state, template application,
// sealed code): a verification issued before it still verifies, and has none of them.
t.test('migration 028 keeps live verifications and adds the Identity Verify columns empty', async (t) => {
  const db = new Database(':memory:');
  const all = loadMigrations();
  migrate(
    db,
    all.filter((migration) => migration.name < '028'),
  );
  db.prepare("INSERT INTO tenants (id, name, body) VALUES ('t1', 'T', '{}')").run();
  db.prepare("INSERT INTO users (id, tenant_id, email, body) VALUES ('u1', 't1', 'a@example.com', '{}')").run();
  db.prepare(
    "INSERT INTO verification_ids (id_hash, kind, user_id, application_id, email, code_hash, expires_at) VALUES ('old-hash', 'email', 'u1', '', 'a@example.com', 'code-hash', 100)",
  ).run();
  migrate(db, all);
  t.same(db.prepare('SELECT id_hash, strategy, state, template_application_id, sealed_code FROM verification_ids').all(), [
    { id_hash: 'old-hash', strategy: null, state: null, template_application_id: null, sealed_code: null },
  ]);
  t.throws(() => db.prepare("UPDATE verification_ids SET strategy = 'Carrier'").run(), 'a strategy is ClickableLink or FormField');

  const store = createVerificationIdStore(db);
  store.issue('email', 'new-id', 'AB12CD', 'u1', undefined, 'a@example.com', 200, { strategy: 'FormField', state: { step: 1 } });
  t.match(store.find('email', 'new-id', 150, 'AB12CD'), {
    userId: 'u1',
    strategy: 'FormField',
    state: { step: 1 },
    templateApplicationId: undefined,
  });
  t.equal(store.oneTimeCode('email', 'new-id', 150), 'AB12CD', 'the code opens with the id');
  t.equal(store.oneTimeCode('email', 'new-id', 200), undefined, 'not once it has expired');
});
