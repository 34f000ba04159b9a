/** A value an SQL placeholder takes. */
export type SqlValue = string | number;

/**
 * The `WHERE` clause of a search, its conditions joined by `AND`, and the values of their placeholders, in order.
 * Each condition is SQL text with one `?` and its value; one whose value is undefined (a criterion the search left
 * out) is dropped. The SQL text comes from the store's fixed strings, never from a request: only the values do.
 */
export function whereClause(conditions: ReadonlyArray<readonly [sql: string, value: SqlValue | undefined]>): { sql: string; params: SqlValue[] } {
  const kept = conditions.filter((condition): condition is readonly [string, SqlValue] => condition[1] !== undefined);
  return { sql: kept.length === 0 ? '' : `WHERE ${kept.map(([sql]) => sql).join(' AND ')}`, params: kept.map(([, value]) => value) };
}
