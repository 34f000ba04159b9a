import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createIpAcl, deleteIpAcl, searchIpAcls, updateIpAcl } from '../../manage/ip-acls.js';
import { requireMember } from '../../manage/request-body.js';
import type { IpAccessControlList } from '../../model/ip-acl.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';

interface Params {
  ipAccessControlListId?: string;
}

/**
 * FusionAuth's IP Access Control List API (https://fusionauth.io/docs/apis/ip-acl): create, retrieve, replace,
 * merge-patch, delete, search. Every operation takes a global API key (model/api-key.ts). What a list does to API
 * keys and hosted pages: docs/ip-acls.md.
 */
export async function ipAclRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('ipAccessControlListId');
  const load = (id: string | undefined): IpAccessControlList => {
    const list = id === undefined ? undefined : app.standin.stores.ipAcls.get(id);
    if (!list) throw ApiError.notFound();
    return list;
  };
  const now = () => app.standin.config.now();

  searchRoutes(app, '/ip-acl/search', (search) => {
    const { results, total } = searchIpAcls(app.standin.stores, search.criteria, search.prefix);
    return { ipAccessControlLists: results, total };
  });

  for (const url of ['/ip-acl', '/ip-acl/:ipAccessControlListId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      ipAccessControlList: createIpAcl(
        app.standin.stores,
        now(),
        request.params.ipAccessControlListId,
        requireMember(request.body, 'ipAccessControlList'),
      ),
    }));
  }
  app.get<{ Params: Params }>('/ip-acl/:ipAccessControlListId', { schema: { params } }, async (request) => ({
    ipAccessControlList: load(request.params.ipAccessControlListId),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/ip-acl/:ipAccessControlListId', { schema: { params } }, async (request) => ({
      ipAccessControlList: updateIpAcl(
        app.standin.stores,
        now(),
        load(request.params.ipAccessControlListId),
        requireMember(request.body, 'ipAccessControlList'),
        mode,
      ),
    }));
  }
  app.delete<{ Params: Params }>('/ip-acl/:ipAccessControlListId', { schema: { params } }, async (request, reply) => {
    deleteIpAcl(app.standin.stores, now(), load(request.params.ipAccessControlListId));
    return reply.code(200).send();
  });
}
