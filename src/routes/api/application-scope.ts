import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { createScope, deleteScope, findScope, updateScope } from '../../manage/application-scopes.js';
import { requireMember } from '../../manage/request-body.js';
import type { Application } from '../../model/application.js';
import { uuidParams } from './schemas.js';
import { isVisible } from './tenant-scope.js';

interface Params {
  applicationId: string;
  scopeId?: string;
}

/**
 * FusionAuth's OAuth Scopes API (https://fusionauth.io/docs/apis/scopes): `{scope}` in, `{scope}` out; DELETE
 * answers 200 with no body. An unknown application is a field error on `applicationId`, as FusionAuth
 * validates it; an unknown scope is FusionAuth's empty 404.
 */
export async function applicationScopeRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('applicationId', 'scopeId');
  const applicationOf = (request: FastifyRequest<{ Params: Params }>): Application => {
    const id = request.params.applicationId;
    const application = app.standin.stores.applications.get(id);
    if (application && isVisible(request, application.tenantId)) return application;
    throw new ApiError(400, {
      fieldErrors: { applicationId: [{ code: '[invalid]applicationId', message: `The application with Id [${id}] does not exist.` }] },
      generalErrors: [],
    });
  };
  const scopeIdOf = (request: FastifyRequest<{ Params: Params }>) => request.params.scopeId!;

  for (const url of ['/application/:applicationId/scope', '/application/:applicationId/scope/:scopeId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const application = applicationOf(request);
      const input = requireMember(request.body, 'scope');
      return { scope: createScope(app.standin.stores, app.standin.config.now(), application, request.params.scopeId, input) };
    });
  }
  app.get<{ Params: Params }>('/application/:applicationId/scope/:scopeId', { schema: { params } }, async (request) => ({
    scope: findScope(applicationOf(request), scopeIdOf(request)),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/application/:applicationId/scope/:scopeId', { schema: { params } }, async (request) => {
      const application = applicationOf(request);
      const input = requireMember(request.body, 'scope');
      return { scope: updateScope(app.standin.stores, app.standin.config.now(), application, scopeIdOf(request), input, mode) };
    });
  }
  app.delete<{ Params: Params }>('/application/:applicationId/scope/:scopeId', { schema: { params } }, async (request, reply) => {
    deleteScope(app.standin.stores, applicationOf(request), scopeIdOf(request));
    return reply.code(200).send();
  });
}
