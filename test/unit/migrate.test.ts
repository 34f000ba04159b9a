import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import t from 'tap';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// Every folder folderWith makes is removed when the file's tests end (the file's own `t`, not a subtest's).
function folderWith(files: Record<string, string>): URL {
  const dir = temporaryFolder(t, 'standin-migrations-');
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return pathToFileURL(`${dir}/`);
}

t.test("the project's migrations apply to an empty database and set user_version", async (t) => {
  const db = new Database(':memory:');
  const migrations = loadMigrations();
  t.ok(migrations.length >= 1);
  t.equal(migrate(db), migrations.length);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  t.same(tables, [
    'api_keys',
    'applications',
    'audit_logs',
    'authorization_codes',
    'change_password_ids',
    'connectors',
    'consents',
    'device_codes',
    'email_outbox',
    'email_templates',
    'entities',
    'entity_grants',
    'entity_types',
    'event_logs',
    'family_members',
    'form_fields',
    'forms',
    'group_application_roles',
    'group_members',
    'groups',
    'identity_provider_links',
    'identity_provider_logins',
    'identity_providers',
    'integrations',
    'ip_acls',
    'keys',
    'lambdas',
    'login_records',
    'message_templates',
    'messengers',
    'one_time_passwords',
    'password_history',
    'passwordless_codes',
    'refresh_tokens',
    'registrations',
    'retired_refresh_tokens',
    'revoked_access_tokens',
    'sms_outbox',
    'sso_sessions',
    'standin_meta',
    'system_configuration',
    'tenants',
    'themes',
    'two_factor_logins',
    'two_factor_methods',
    'two_factor_one_time_codes',
    'two_factor_recovery_codes',
    'two_factor_trust_tokens',
    'two_factor_trusts',
    'user_action_logs',
    'user_action_reasons',
    'user_actions',
    'user_comments',
    'user_connectors',
    'user_consents',
    'users',
    'verification_ids',
    'webauthn_challenges',
    'webauthn_credentials',
    'webhook_event_logs',
    'webhooks',
  ]);
  t.equal(db.pragma('user_version', { simple: true }), migrations.length);
});

t.test('migrating again changes nothing', async (t) => {
  const db = new Database(':memory:');
  migrate(db);
  db.prepare("INSERT INTO standin_meta (key, value) VALUES ('seed', 'default')").run();
  migrate(db);
  t.equal(db.prepare("SELECT value FROM standin_meta WHERE key = 'seed'").pluck().get(), 'default');
});

t.test('only the migrations newer than user_version run, in order', async (t) => {
  const folder = folderWith({
    '001-a.sql': 'CREATE TABLE a (x INTEGER) STRICT;',
    '002-b.sql': 'CREATE TABLE b (x INTEGER) STRICT;',
    'notes.txt': 'not a migration',
  });
  const db = new Database(':memory:');
  migrate(db, loadMigrations(folder).slice(0, 1));
  t.equal(db.pragma('user_version', { simple: true }), 1);
  t.equal(migrate(db, loadMigrations(folder)), 2);
  t.ok(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'b'").get());
});

t.test('a failing migration leaves the database at the version before it', async (t) => {
  const folder = folderWith({
    '001-a.sql': 'CREATE TABLE a (x INTEGER) STRICT;',
    '002-bad.sql': 'CREATE TABLE c (x INTEGER) STRICT; THIS IS NOT SQL;',
  });
  const db = new Database(':memory:');
  t.throws(() => migrate(db, loadMigrations(folder)));
  t.equal(db.pragma('user_version', { simple: true }), 1);
  t.notOk(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'c'").get(), 'the half of the failed migration is rolled back');
});

t.test('a database from a newer Standin is refused', async (t) => {
  const db = new Database(':memory:');
  db.pragma('user_version = 99');
  t.throws(() => migrate(db), /schema version 99, newer than this Standin knows/);
});

t.test('a gap in the numbering is refused', async (t) => {
  t.throws(() => loadMigrations(folderWith({ '001-a.sql': 'SELECT 1;', '003-c.sql': 'SELECT 1;' })), /without gaps/);
});

t.test('users an older Standin stored with a mixed-case email are lower-cased, and still found by their lookup key', async (t) => {
  const db = new Database(':memory:');
  const migrations = loadMigrations();
  const lowerCasing = migrations.findIndex((migration) => migration.name === '013-lower-case-emails.sql');
  migrate(db, migrations.slice(0, lowerCasing));
  db.prepare("INSERT INTO tenants (id, name, body) VALUES ('t', 'T', '{}')").run();
  const insert = db.prepare("INSERT INTO users (id, tenant_id, email, username, body) VALUES (?, 't', ?, ?, ?)");
  insert.run('a', 'jane@example.com', null, JSON.stringify({ id: 'a', email: 'Jane@Example.com', firstName: 'Jane' }));
  insert.run('b', null, 'bob', JSON.stringify({ id: 'b', username: 'Bob' }));
  migrate(db, migrations);
  const body = (id: string) => JSON.parse(db.prepare<[string], string>('SELECT body FROM users WHERE id = ?').pluck().get(id)!);
  t.same(body('a'), { id: 'a', email: 'jane@example.com', firstName: 'Jane' });
  t.same(body('b'), { id: 'b', username: 'Bob' }, 'a username keeps its case, and no email is added');
});
