import type { FastifyInstance } from 'fastify';
import { previewEmail } from '../../email/preview-email.js';
import { ApiError, FieldErrors } from '../../errors.js';
import { createEmailTemplate, searchEmailTemplates, updateEmailTemplate } from '../../manage/email-templates.js';
import { requireBody, requireMember } from '../../manage/request-body.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';
import { namedTenantId, requestTenant } from './tenant-scope.js';

interface Params {
  emailTemplateId?: string;
}

/**
 * FusionAuth's Email Templates API (https://fusionauth.io/docs/apis/emails): create with or without an id,
 * retrieve one or all, replace, merge-patch, delete, search. Templates are checked as FreeMarker on save.
 */
export async function emailTemplateRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('emailTemplateId');
  const load = (id: string | undefined) => {
    const template = id === undefined ? undefined : app.standin.stores.emailTemplates.get(id);
    if (!template) throw ApiError.notFound();
    return template;
  };

  searchRoutes(app, '/email/template/search', (search) => {
    const { results, total } = searchEmailTemplates(app.standin.stores, search.criteria, search.prefix);
    return { emailTemplates: results, total };
  });

  // Preview an Email Template: rendered, never stored; rendering problems are in the answer's `errors`
  // (https://fusionauth.io/docs/apis/emails/preview-an-email-template). The tenant is the one the request names,
  // else the first there is: templates belong to no tenant.
  app.post('/email/template/preview', async (request) => {
    const body = requireBody(request.body);
    const template = requireMember(body, 'emailTemplate');
    const { locale } = body;
    if (locale !== undefined && locale !== null && (typeof locale !== 'string' || locale.length > 64)) {
      new FieldErrors().add('locale', 'invalid', 'The [locale] property must be a locale such as [fr] or [fr_CA].').throwIfAny();
    }
    const tenant = namedTenantId(request) === undefined ? app.standin.stores.tenants.list()[0]! : requestTenant(request);
    return previewEmail(app.standin, tenant, template, typeof locale === 'string' && locale !== '' ? locale : undefined);
  });

  for (const url of ['/email/template', '/email/template/:emailTemplateId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      emailTemplate: createEmailTemplate(
        app.standin.stores,
        app.standin.config.now(),
        request.params.emailTemplateId,
        requireMember(request.body, 'emailTemplate'),
      ),
    }));
  }
  app.get('/email/template', async () => ({ emailTemplates: app.standin.stores.emailTemplates.list() }));
  app.get<{ Params: Params }>('/email/template/:emailTemplateId', { schema: { params } }, async (request) => ({
    emailTemplate: load(request.params.emailTemplateId),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/email/template/:emailTemplateId', { schema: { params } }, async (request) => {
      const existing = load(request.params.emailTemplateId);
      const { stores, config } = request.server.standin;
      return { emailTemplate: updateEmailTemplate(stores, config.now(), existing, requireMember(request.body, 'emailTemplate'), mode) };
    });
  }
  app.delete<{ Params: Params }>('/email/template/:emailTemplateId', { schema: { params } }, async (request, reply) => {
    const existing = load(request.params.emailTemplateId);
    app.standin.stores.emailTemplates.delete(existing.id);
    return reply.code(200).send();
  });
}
