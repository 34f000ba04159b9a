import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createConnector, deleteConnector, findConnector, listConnectors, updateConnector } from '../../manage/connectors.js';
import { requireMember } from '../../manage/request-body.js';
import type { Connector } from '../../model/connector.js';
import { uuidParams } from './schemas.js';

interface Params {
  connectorId?: string;
}

/**
 * FusionAuth's Connector API (https://fusionauth.io/docs/apis/connectors, /docs/apis/connectors/generic): create,
 * retrieve one or all, replace, merge-patch, delete. Every operation takes a key bound to no tenant (model/api-key.ts).
 * What a Generic connector does at login: docs/connectors.md.
 */
export async function connectorRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('connectorId');
  const load = (id: string | undefined): Connector => {
    const connector = id === undefined ? undefined : findConnector(app.standin.stores, id);
    if (!connector) throw ApiError.notFound();
    return connector;
  };
  const now = () => app.standin.config.now();

  app.get('/connector', async () => ({ connectors: listConnectors(app.standin.stores) }));
  for (const url of ['/connector', '/connector/:connectorId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      connector: createConnector(app.standin.stores, now(), request.params.connectorId, requireMember(request.body, 'connector')),
    }));
  }
  app.get<{ Params: Params }>('/connector/:connectorId', { schema: { params } }, async (request) => ({
    connector: load(request.params.connectorId),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/connector/:connectorId', { schema: { params } }, async (request) => ({
      connector: updateConnector(app.standin.stores, now(), load(request.params.connectorId), requireMember(request.body, 'connector'), mode),
    }));
  }
  app.delete<{ Params: Params }>('/connector/:connectorId', { schema: { params } }, async (request, reply) => {
    deleteConnector(app.standin.stores, load(request.params.connectorId));
    return reply.code(200).send();
  });
}
