import type { Lambda, LambdaType } from '../model/lambda.js';
import type { Db } from './open-database.js';

export type LambdaStore = ReturnType<typeof createLambdaStore>;

export function createLambdaStore(db: Db) {
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO lambdas (id, type, name, body) VALUES (?, ?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE lambdas SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM lambdas WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM lambdas ORDER BY name COLLATE NOCASE, id');
  const byType = db.prepare<[string], { body: string }>('SELECT body FROM lambdas WHERE type = ? ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM lambdas WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as Lambda;

  return {
    insert: (lambda: Lambda) => void insert.run(lambda.id, lambda.type, lambda.name, JSON.stringify(lambda)),
    /** The type never changes after create. */
    update: (lambda: Lambda) => void update.run(lambda.name, JSON.stringify(lambda), lambda.id),
    get: (id: string): Lambda | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** All lambdas, or those of one type, by name. */
    list: (type?: LambdaType): Lambda[] => (type === undefined ? all.all() : byType.all(type)).map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
