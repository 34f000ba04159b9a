import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { applicationLambdaIds, buildLambda, isLambdaType, type Lambda } from '../model/lambda.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';

export function createLambda(stores: Stores, now: number, id: string | undefined, input: JsonObject): Lambda {
  const lambdaId = id ?? randomUUID();
  if (stores.lambdas.get(lambdaId)) new FieldErrors().add('lambdaId', 'duplicate', `A lambda with Id [${lambdaId}] already exists.`).throwIfAny();
  const lambda = buildLambda(input, { id: lambdaId, now });
  stores.lambdas.insert(lambda);
  return lambda;
}

/** PUT replaces the lambda with `input`; PATCH merges `input` into it (RFC 7396). The type stays. */
export function updateLambda(stores: Stores, now: number, existing: Lambda, input: JsonObject, mode: 'replace' | 'merge'): Lambda {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const lambda = buildLambda(isObject(next) ? next : {}, { id: existing.id, now, existing });
  stores.lambdas.update(lambda);
  return lambda;
}

/**
 * Deletes a lambda and takes its id out of every application's `lambdaConfiguration`, so that the application runs
 * none (docs/lambdas.md). Left there, the id would refuse every later update of the application, and a new lambda
 * made under the same id would run on its tokens without being attached.
 */
export function deleteLambda(stores: Stores, now: number, lambdaId: string): void {
  stores.db.transaction(() => {
    for (const application of stores.applications.list()) {
      const fields = applicationLambdaIds(application).filter(({ id }) => id.toLowerCase() === lambdaId);
      if (fields.length === 0) continue;
      const lambdaConfiguration = { ...(isObject(application.lambdaConfiguration) ? application.lambdaConfiguration : {}) };
      for (const { field } of fields) delete lambdaConfiguration[field];
      stores.applications.update({ ...application, lambdaConfiguration, lastUpdateInstant: now });
    }
    stores.lambdas.delete(lambdaId);
  })();
}

export interface LambdaSearch {
  body?: string;
  name?: string;
  type?: string;
  orderBy?: string;
  startRow: number;
  numberOfResults: number;
}

const ORDER_FIELDS = ['name', 'id', 'insertInstant', 'lastUpdateInstant', 'type', 'engineType'] as const;

/**
 * FusionAuth's lambda search (https://fusionauth.io/docs/apis/lambdas): `name` and `body` match case-insensitively
 * anywhere (`*` standing for anything), `type` exactly; `orderBy` is `<field> [ASC|DESC]`, by name by default.
 */
export function searchLambdas(stores: Stores, search: LambdaSearch): { lambdas: Lambda[]; total: number } {
  const errors = new FieldErrors();
  if (search.type !== undefined && search.type !== '' && !isLambdaType(search.type))
    errors.add('search.type', 'invalid', 'The [search.type] property is not a lambda type.');
  const order = parseOrderBy(search.orderBy ?? 'name ASC');
  if (order === undefined)
    errors.add(
      'search.orderBy',
      'invalid',
      `The [search.orderBy] property must be one of ${ORDER_FIELDS.join(', ')}, optionally followed by ASC or DESC.`,
    );
  errors.throwIfAny();
  const name = pattern(search.name);
  const body = pattern(search.body);
  const type = search.type === '' ? undefined : search.type;
  const matching = stores.lambdas
    .list()
    .filter(
      (lambda) =>
        (name === undefined || name.test(lambda.name)) &&
        (body === undefined || body.test(lambda.body)) &&
        (type === undefined || lambda.type === type),
    );
  const { field, descending } = order!;
  matching.sort((a, b) => {
    const left = a[field];
    const right = b[field];
    const compared =
      typeof left === 'number' && typeof right === 'number' ? left - right : String(left).localeCompare(String(right), 'en', { sensitivity: 'base' });
    return descending ? -compared : compared;
  });
  return { lambdas: matching.slice(search.startRow, search.startRow + search.numberOfResults), total: matching.length };
}

function parseOrderBy(value: string): { field: (typeof ORDER_FIELDS)[number]; descending: boolean } | undefined {
  const match = /^\s*(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(value);
  const field = ORDER_FIELDS.find((candidate) => candidate === match?.[1]);
  return match && field ? { field, descending: match[2]?.toUpperCase() === 'DESC' } : undefined;
}

/** `*` stands for anything; without one, the text may appear anywhere (FusionAuth's search convention). */
export function pattern(text: string | undefined): RegExp | undefined {
  if (text === undefined || text.trim() === '' || text.trim() === '*') return undefined;
  return new RegExp(
    text
      .trim()
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*'),
    'is',
  );
}
