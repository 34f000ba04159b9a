import Database from 'better-sqlite3';
import t from 'tap';
import { createStores } from '../../src/store/index.js';
import { migrate } from '../../src/store/migrate.js';
import { prepareOnUse } from '../../src/store/prepare-on-use.js';

// Standin prepares statements on first use (src/store/prepare-on-use.ts); here every store prepares all of
// its statements at once, on the migrated schema, so a statement with a mistake fails this test, not a request.
t.test('every statement of every store prepares against the migrated schema', (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  migrate(db);
  let prepared = 0;
  const prepare = db.prepare.bind(db);
  db.prepare = (source: string) => {
    prepared += 1;
    return prepare(source);
  };
  t.doesNotThrow(() => createStores(db));
  t.ok(prepared > 100, `${prepared} statements prepared`);
  t.end();
});

t.test('a statement prepared on use behaves as one prepared at once, and a mistake surfaces when it runs', (t) => {
  const db = new Database(':memory:');
  t.teardown(() => db.close());
  const lazy = prepareOnUse(db);
  const broken = lazy.prepare('SELECT * FROM no_such_table');
  lazy.exec('CREATE TABLE n (v INTEGER)');
  const insert = lazy.prepare<[number]>('INSERT INTO n VALUES (?)');
  const count = lazy.prepare<[], { c: number }>('SELECT count(*) AS c FROM n');
  lazy.transaction(() => {
    [1, 2, 3].forEach((v) => insert.run(v));
  })();
  t.equal(count.get()?.c, 3);
  t.same(lazy.prepare('SELECT v FROM n ORDER BY v').pluck().all(), [1, 2, 3]);
  t.equal(count.busy, false);
  t.throws(() => broken.all(), /no such table/);
  t.end();
});
