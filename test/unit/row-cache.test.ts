import t, { type Test } from 'tap';
import type { Tenant } from '../../src/model/tenant.js';
import { createStores, type Stores } from '../../src/store/index.js';
import { openDatabase } from '../../src/store/open-database.js';
import { prepareOnUse } from '../../src/store/prepare-on-use.js';

// The stores keep parsed tenants, applications and keys between reads (src/store/row-cache.ts). What a rolled-back
// transaction wrote, or read, must never be served afterwards; test/e2e/cached-rows.test.ts covers the API, other
// processes and reset.
const TENANT = 'a1a1a1a1-0000-4000-8000-000000000001';

function storesWithTenant(t: Test): Stores {
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  const stores = createStores(prepareOnUse(db));
  stores.tenants.insert({ id: TENANT, name: 'A' } as Tenant);
  return stores;
}

// A whole new row, not one read through the cache: a read in between would compare the stamps again.
const rename = (stores: Stores, name: string) => {
  stores.tenants.update({ id: TENANT, name } as Tenant);
};
const rollingBack = (t: Test, stores: Stores, work: () => void) => {
  const transaction = stores.db.transaction(() => {
    work();
    throw new Error('roll back');
  });
  t.throws(transaction, /roll back/);
};

t.test('a rolled-back write is not served, nor what was read after it inside the transaction', (t) => {
  const stores = storesWithTenant(t);
  t.equal(stores.tenants.get(TENANT)?.name, 'A');
  rollingBack(t, stores, () => {
    rename(stores, 'B');
    t.equal(stores.tenants.get(TENANT)?.name, 'B', 'the transaction reads its own write');
  });
  t.equal(stores.tenants.get(TENANT)?.name, 'A', 'the committed name after the rollback');
  rollingBack(t, stores, () => {
    rename(stores, 'B');
    t.equal(stores.tenants.get(TENANT)?.name, 'B');
  });
  rename(stores, 'C');
  t.equal(stores.tenants.get(TENANT)?.name, 'C', 'the next committed write, not the rolled-back one read last');
  t.end();
});

t.test('a first read inside a transaction that rolls back leaves later reads working', (t) => {
  const stores = storesWithTenant(t);
  rollingBack(t, stores, () => t.equal(stores.tenants.get(TENANT)?.name, 'A'));
  t.equal(stores.tenants.get(TENANT)?.name, 'A');
  rename(stores, 'D');
  t.equal(stores.tenants.get(TENANT)?.name, 'D');
  t.end();
});

t.test('what get returns is shared, so it cannot be changed in place', (t) => {
  const stores = storesWithTenant(t);
  const tenant = stores.tenants.get(TENANT)!;
  t.throws(() => {
    (tenant as { name: string }).name = 'changed';
  }, TypeError);
  t.equal(stores.tenants.get(TENANT)?.name, 'A');
  t.end();
});
