import type { FastifyInstance } from 'fastify';
import { previewEmail } from '../../email/preview-email.js';
import { ApiError } from '../../errors.js';
import { createEmailTemplate, searchEmailTemplates, updateEmailTemplate } from '../../manage/email-templates.js';
import { requireMember } from '../../manage/request-body.js';
import { uuidParams } from './schemas.js';
import { templatePreviewRequest } from './template-preview-request.js';
import { searchRoutes } from './search-routes.js';

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
  // (https://fusionauth.io/docs/apis/emails/preview-an-email-template).
  app.post('/email/template/preview', async (request) => {
    const { template, locale, tenant } = templatePreviewRequest(request, 'emailTemplate');
    return previewEmail(app.standin, tenant, template, locale);
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
