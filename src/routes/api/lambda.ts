import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createLambda, deleteLambda, searchLambdas, updateLambda, type LambdaSearch } from '../../manage/lambdas.js';
import { requireMember } from '../../manage/request-body.js';
import { isObject } from '../../model/json.js';
import { LAMBDA_TYPES, type LambdaType } from '../../model/lambda.js';
import { uuidParams } from './schemas.js';

interface Params {
  lambdaId?: string;
}

const listQuery = {
  type: 'object',
  properties: { type: { type: 'string', enum: [...LAMBDA_TYPES] } },
} as const;

const searchQuery = {
  type: 'object',
  properties: {
    body: { type: 'string', maxLength: 1024 },
    name: { type: 'string', maxLength: 512 },
    type: { type: 'string', maxLength: 64 },
    orderBy: { type: 'string', maxLength: 64 },
    startRow: { type: 'integer', minimum: 0, default: 0 },
    numberOfResults: { type: 'integer', minimum: 1, maximum: 10_000, default: 25 },
  },
} as const;

/**
 * FusionAuth's Lambda API (https://fusionauth.io/docs/apis/lambdas): create with or without an id, retrieve one,
 * all or all of a type (`?type=`), replace, merge-patch, delete, search. Which lambdas Standin runs: docs/lambdas.md.
 */
export async function lambdaRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('lambdaId');
  const load = (id: string | undefined) => {
    const lambda = id === undefined ? undefined : app.standin.stores.lambdas.get(id);
    if (!lambda) throw ApiError.notFound();
    return lambda;
  };

  app.post('/lambda/search', async (request) =>
    searchLambdas(app.standin.stores, searchOf(isObject(request.body) && isObject(request.body.search) ? request.body.search : {})),
  );
  app.get<{ Querystring: LambdaSearch }>('/lambda/search', { schema: { querystring: searchQuery } }, async (request) =>
    searchLambdas(app.standin.stores, request.query),
  );

  for (const url of ['/lambda', '/lambda/:lambdaId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      lambda: createLambda(app.standin.stores, app.standin.config.now(), request.params.lambdaId, requireMember(request.body, 'lambda')),
    }));
  }
  app.get<{ Querystring: { type?: LambdaType } }>('/lambda', { schema: { querystring: listQuery } }, async (request) => ({
    lambdas: app.standin.stores.lambdas.list(request.query.type),
  }));
  app.get<{ Params: Params }>('/lambda/:lambdaId', { schema: { params } }, async (request) => ({ lambda: load(request.params.lambdaId) }));
  app.put<{ Params: Params }>('/lambda/:lambdaId', { schema: { params } }, async (request) => {
    const existing = load(request.params.lambdaId);
    return { lambda: updateLambda(app.standin.stores, app.standin.config.now(), existing, requireMember(request.body, 'lambda'), 'replace') };
  });
  app.patch<{ Params: Params }>('/lambda/:lambdaId', { schema: { params } }, async (request) => {
    const existing = load(request.params.lambdaId);
    return { lambda: updateLambda(app.standin.stores, app.standin.config.now(), existing, requireMember(request.body, 'lambda'), 'merge') };
  });
  app.delete<{ Params: Params }>('/lambda/:lambdaId', { schema: { params } }, async (request, reply) => {
    deleteLambda(app.standin.stores, app.standin.config.now(), load(request.params.lambdaId).id);
    return reply.code(200).send();
  });
}

/** The POST body's `search`, with FusionAuth's paging defaults for what is missing or not a number. */
function searchOf(search: Record<string, unknown>): LambdaSearch {
  const text = (name: string) => (typeof search[name] === 'string' ? { [name]: search[name] } : {});
  const startRow = Number.isSafeInteger(search.startRow) && (search.startRow as number) >= 0 ? (search.startRow as number) : 0;
  const count =
    Number.isSafeInteger(search.numberOfResults) && (search.numberOfResults as number) > 0 ? Math.min(search.numberOfResults as number, 10_000) : 25;
  return { ...text('body'), ...text('name'), ...text('type'), ...text('orderBy'), startRow, numberOfResults: count };
}
