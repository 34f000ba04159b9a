import { emitPublicKeyUpdate } from '../../events/key-events.js';
import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { createApplication, deleteApplication, reactivateApplication, searchApplications, updateApplication } from '../../manage/applications.js';
import { oauthConfigurationOf } from '../../manage/oauth-configuration.js';
import { requireMember } from '../../manage/request-body.js';
import type { Application } from '../../model/application.js';
import { applicationWithDefaults } from '../../model/application-defaults.js';
import { found, hardDeleteOf, hardDeleteQuery, uuidParams } from './schemas.js';
import { isVisible, namedTenantId, requestTenant } from './tenant-scope.js';
import { searchRoutes, type SearchRequest } from './search-routes.js';
import { refuseUnmodelled } from './refuse-unmodelled.js';
import { apiKeyOf } from './caller.js';

interface Params {
  applicationId?: string;
}

/**
 * FusionAuth's Application API; the application id is also the OAuth `client_id`. Applications are answered
 * with FusionAuth's defaults for the members they were created without (model/application-defaults.ts).
 */
export async function applicationRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('applicationId');
  const get = (id: string | undefined) => (id === undefined ? undefined : app.standin.stores.applications.get(id));

  for (const url of ['/application', '/application/:applicationId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const tenant = requestTenant(request);
      const input = requireMember(request.body, 'application');
      // FusionAuth copies an application from `sourceApplicationId`; Standin does not, and says so rather than
      // create an application with none of the source's values (docs/compatibility.md).
      if ((request.body as { sourceApplicationId?: unknown }).sourceApplicationId != null) {
        throw ApiError.general(
          '[NotModelled]',
          'Standin does not copy applications: [sourceApplicationId] is not modelled; see docs/compatibility.md.',
        );
      }
      refuseUnmodelled(request, 'application', input, undefined);
      return {
        application: applicationWithDefaults(
          createApplication(app.standin.stores, app.standin.config.now(), tenant.id, request.params.applicationId, input),
        ),
      };
    });
  }
  // A fixed segment, so `search` is never taken for an `:applicationId`.
  searchRoutes(app, '/application/search', (search) => {
    const expand = expandOf(search);
    const { results, total } = searchApplications(app.standin.stores, search.criteria, namedTenantId(search.request), search.prefix);
    return { applications: results.map((application) => expanded(applicationWithDefaults(application), expand)), total };
  });
  // FusionAuth Retrieve an Application: the active applications, or with `inactive=true` only the inactive ones.
  app.get<{ Querystring: { inactive: boolean } }>(
    '/application',
    { schema: { querystring: { type: 'object', properties: { inactive: { type: 'boolean', default: false } } } } },
    async (request) => ({
      applications: app.standin.stores.applications
        .list()
        .filter((application) => isVisible(request, application.tenantId) && application.active !== request.query.inactive)
        .map(applicationWithDefaults),
    }),
  );
  app.get<{ Params: Params }>('/application/:applicationId', { schema: { params } }, async (request) => ({
    application: applicationWithDefaults(found(request, get(request.params.applicationId))),
  }));
  // Answered to anyone (FusionAuth's docs list no 401 for it); the client secret only to a caller whose API key may
  // call this endpoint. The tenant scope still applies: a named tenant hides other tenants' applications.
  app.get<{ Params: Params }>(
    '/application/:applicationId/oauth-configuration',
    { schema: { params }, config: { public: true } },
    async (request) => {
      const withSecret = apiKeyOf(request);
      const application = found(request, get(request.params.applicationId));
      return oauthConfigurationOf(application, app.standin.stores.tenants.get(application.tenantId)!, withSecret);
    },
  );
  app.put<{ Params: Params; Querystring: { reactivate?: string } }>('/application/:applicationId', { schema: { params } }, async (request) => {
    const existing = found(request, get(request.params.applicationId));
    // FusionAuth's Reactivate an Application: `?reactivate=true` and no body (TSC reactivateApplication).
    if (request.query.reactivate === 'true') {
      return { application: applicationWithDefaults(reactivateApplication(app.standin.stores, app.standin.config.now(), existing)) };
    }
    const input = requireMember(request.body, 'application');
    refuseUnmodelled(request, 'application', input, existing);
    const updated = updateApplication(app.standin.stores, app.standin.config.now(), existing, input, 'replace');
    emitPublicKeyUpdate(app.standin, existing, updated);
    return { application: applicationWithDefaults(updated) };
  });
  app.patch<{ Params: Params }>('/application/:applicationId', { schema: { params } }, async (request) => {
    const existing = found(request, get(request.params.applicationId));
    const input = requireMember(request.body, 'application');
    refuseUnmodelled(request, 'application', input, existing);
    const updated = updateApplication(app.standin.stores, app.standin.config.now(), existing, input, 'merge');
    emitPublicKeyUpdate(app.standin, existing, updated);
    return { application: applicationWithDefaults(updated) };
  });
  app.delete<{ Params: Params; Querystring: { hardDelete: boolean } }>(
    '/application/:applicationId',
    { schema: { params, querystring: hardDeleteQuery } },
    async (request, reply) => {
      deleteApplication(app.standin.stores, app.standin.config.now(), found(request, get(request.params.applicationId)), hardDeleteOf(request));
      return reply.code(200).send();
    },
  );
}

const EXPANDABLE = ['roles', 'scopes'] as const;
type Expandable = (typeof EXPANDABLE)[number];

/**
 * An application search's `expand` (FusionAuth 1.50, Search for Applications): which of `roles` and `scopes` the
 * answer carries, both when it is left out. A POST gives it as a list beside `search`, a GET as parameters.
 */
function expandOf(search: SearchRequest): readonly Expandable[] {
  const given = search.outer.expand;
  if (given === undefined || given === null) return EXPANDABLE;
  const values = typeof given === 'string' ? given.split(',').filter((value) => value.trim() !== '') : given;
  const valid =
    Array.isArray(values) && values.every((value) => (EXPANDABLE as readonly unknown[]).includes(typeof value === 'string' ? value.trim() : value));
  if (!valid) new FieldErrors().add('expand', 'invalid', `The [expand] property must list some of [${EXPANDABLE.join(', ')}].`).throwIfAny();
  return (values as string[]).map((value) => value.trim() as Expandable);
}

function expanded(application: Application, expand: readonly Expandable[]): Application {
  const answer: Partial<Application> = { ...application };
  for (const member of EXPANDABLE) if (!expand.includes(member)) delete answer[member];
  return answer as Application;
}
