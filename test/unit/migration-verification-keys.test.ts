import Database from 'better-sqlite3';
import t from 'tap';
import { loadMigrations, migrate } from '../../src/store/migrate.js';

// Migration 016 makes `keys` again so that an imported public key (no private part) can be stored: the keys a
// database already had keep their rows, rowids (listing order) and private parts.
t.test('migration 016 keeps the stored keys and lets a key have no private part', async (t) => {
  const db = new Database(':memory:');
  const all = loadMigrations();
  const before = all.filter((migration) => migration.name < '016');
  migrate(db, before);
  const insert = db.prepare('INSERT INTO keys (id, kid, name, algorithm, public_key, private_key, body) VALUES (?, ?, ?, ?, ?, ?, ?)');
  insert.run('k2', 'kid-2', 'Second', 'HS256', null, 'c2VjcmV0', '{"id":"k2"}');
  insert.run('k1', 'kid-1', 'First', 'RS256', 'PUBLIC', 'PRIVATE', '{"id":"k1"}');
  t.throws(() => insert.run('k3', 'kid-3', 'Third', 'RS256', 'PUBLIC', null, '{}'), 'before it, every key needs a private part');

  migrate(db, all);
  t.same(db.prepare('SELECT id, kid, name, algorithm, public_key, private_key, body FROM keys ORDER BY rowid').all(), [
    { id: 'k2', kid: 'kid-2', name: 'Second', algorithm: 'HS256', public_key: null, private_key: 'c2VjcmV0', body: '{"id":"k2"}' },
    { id: 'k1', kid: 'kid-1', name: 'First', algorithm: 'RS256', public_key: 'PUBLIC', private_key: 'PRIVATE', body: '{"id":"k1"}' },
  ]);
  insert.run('k3', 'kid-3', 'Third', 'RS256', 'PUBLIC', null, '{}');
  t.throws(() => insert.run('k4', 'kid-3', 'Fourth', 'RS256', 'PUBLIC', null, '{}'), 'kids stay unique');
  t.throws(() => insert.run('k5', 'kid-5', 'Third', 'RS256', 'PUBLIC', null, '{}'), 'names stay unique');
});
