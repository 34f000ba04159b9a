import type { FastifyInstance } from 'fastify';
import { previewMessage } from '../../email/preview-message.js';
import { ApiError } from '../../errors.js';
import { createMessageTemplate, deleteMessageTemplate, updateMessageTemplate } from '../../manage/messengers.js';
import { requireMember } from '../../manage/request-body.js';
import type { MessageTemplate } from '../../model/message-template.js';
import { uuidParams } from './schemas.js';
import { templatePreviewRequest } from './template-preview-request.js';

interface Params {
  messageTemplateId?: string;
}

/**
 * FusionAuth's Message Template API (https://fusionauth.io/docs/apis/message-templates): create, retrieve one or all,
 * replace, merge-patch, delete (refused while a tenant or application names the template). Templates belong to no
 * tenant, so a key bound to one may not call it (model/api-key.ts). Preview renders an unsaved template with sample
 * data; rendering problems are in the answer's `errors`. Standin never sends a message (docs/messengers.md).
 */
export async function messageTemplateRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('messageTemplateId');
  const load = (id: string | undefined): MessageTemplate => {
    const template = id === undefined ? undefined : app.standin.stores.messageTemplates.get(id);
    if (!template) throw ApiError.notFound();
    return template;
  };

  app.post('/message/template/preview', async (request) => {
    const { template, locale, tenant } = templatePreviewRequest(request, 'messageTemplate');
    return previewMessage(app.standin, tenant, template, locale);
  });
  for (const url of ['/message/template', '/message/template/:messageTemplateId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'messageTemplate');
      const { stores, config } = request.server.standin;
      const messageTemplate = stores.db
        .transaction(() => createMessageTemplate(stores, config.now(), request.params.messageTemplateId, input))
        .immediate();
      return { messageTemplate };
    });
  }
  app.get('/message/template', async () => ({ messageTemplates: app.standin.stores.messageTemplates.list() }));
  app.get<{ Params: Params }>('/message/template/:messageTemplateId', { schema: { params } }, async (request) => ({
    messageTemplate: load(request.params.messageTemplateId),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/message/template/:messageTemplateId', { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'messageTemplate');
      const { stores, config } = request.server.standin;
      const messageTemplate = stores.db
        .transaction(() => updateMessageTemplate(stores, config.now(), load(request.params.messageTemplateId), input, mode))
        .immediate();
      return { messageTemplate };
    });
  }
  app.delete<{ Params: Params }>('/message/template/:messageTemplateId', { schema: { params } }, async (request, reply) => {
    const { stores } = request.server.standin;
    stores.db
      .transaction(() => {
        deleteMessageTemplate(stores, load(request.params.messageTemplateId));
      })
      .immediate();
    return reply.code(200).send();
  });
}
