import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createLambda, deleteLambda, searchLambdas, updateLambda } from '../../manage/lambdas.js';
import { requireMember } from '../../manage/request-body.js';
import { LAMBDA_TYPES, type LambdaType } from '../../model/lambda.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';

interface Params {
  lambdaId?: string;
}

const listQuery = {
  type: 'object',
  properties: { type: { type: 'string', enum: [...LAMBDA_TYPES] } },
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

  searchRoutes(app, '/lambda/search', (search) => {
    const { results, total } = searchLambdas(app.standin.stores, search.criteria, search.prefix);
    return { lambdas: results, total };
  });

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
