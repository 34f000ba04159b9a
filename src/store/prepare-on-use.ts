import type { Statement } from 'better-sqlite3';
import type { Db } from './open-database.js';

/**
 * The database as the stores see it: each statement is prepared the first time it runs, not when its store is
 * made. The stores prepare some 165 statements up front (290 with the control snapshot) and an instance seldom runs more than a
 * few dozen; preparing them all was a tenth of a repeated `startStandin()` (bench/README.md, "Start-up").
 * Every statement is still prepared once by test/unit/store-statements.test.ts, so a mistake in one fails there.
 */
export function prepareOnUse(db: Db): Db {
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return (source: string) => statementOnUse(target, source);
      return boundMember(target, key);
    },
  });
}

/** A statement that prepares itself on first use; it then behaves as better-sqlite3's own (`pluck()` and the like prepare it at once). */
function statementOnUse(db: Db, source: string): Statement {
  let statement: Statement | undefined;
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy({} as Statement, {
    get(_target, key) {
      statement ??= db.prepare(source);
      let method = methods.get(key);
      if (method === undefined) {
        method = boundMember(statement, key);
        // Properties such as `busy` change; only the bound methods are kept.
        if (typeof method !== 'function') return method;
        methods.set(key, method);
      }
      return method;
    },
  });
}

/** A member of a native better-sqlite3 object; its methods must be called on the object itself, not on a proxy. */
function boundMember(target: object, key: PropertyKey): unknown {
  const value: unknown = Reflect.get(target, key, target);
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}
