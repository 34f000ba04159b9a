import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { isObject } from '../../model/json.js';

// The indexes FusionAuth's Reindex API rebuilds, by the names the API takes whatever the configured index names.
const INDEXES = ['fusionauth_entity', 'fusionauth_user'];

/**
 * FusionAuth's Rebuild the Elasticsearch index and Retrieve the status of an index rebuild
 * (https://fusionauth.io/docs/apis/system/rebuild-the-elasticsearch-index): FusionAuth copies users or entities from
 * its database into its search engine. Standin searches as FusionAuth's database search engine does, in the database
 * itself (docs/built-ins-and-defaults.md), so there is no index to fall behind: a rebuild is checked as FusionAuth checks it, answered 202 as started, and is already
 * over, so the status is always FusionAuth's 404 "no re-index operation in progress".
 */
export async function systemReindexRoutes(app: FastifyInstance): Promise<void> {
  app.post('/system/reindex', async (request, reply) => {
    const index = isObject(request.body) ? request.body.index : undefined;
    const errors = new FieldErrors();
    if (index === undefined || index === null || index === '') errors.add('index', 'blank', 'You must specify the [index] property.');
    else if (typeof index !== 'string' || !INDEXES.includes(index))
      errors.add('index', 'invalid', `The [index] property must be one of [${INDEXES.join(', ')}].`);
    errors.throwIfAny();
    return reply.code(202).send();
  });
  app.get('/system/reindex', async () => {
    throw ApiError.notFound();
  });
}
