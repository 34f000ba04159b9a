import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createForm, deleteForm, updateForm } from '../../manage/forms.js';
import { requireMember } from '../../manage/request-body.js';
import type { Form } from '../../model/form.js';
import { uuidParams } from './schemas.js';

interface Params {
  formId?: string;
}

/**
 * FusionAuth's Forms API (https://fusionauth.io/docs/apis/custom-forms/forms): create, retrieve one or all, replace,
 * merge-patch, delete (refused while an application or tenant names the form). Forms belong to no tenant: FusionAuth
 * asks for a key bound to none (model/api-key.ts). Standin stores forms and never renders them: its hosted
 * registration page serves the basic form only (docs/custom-forms.md).
 */
export async function formRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('formId');
  const load = (id: string | undefined): Form => {
    const form = id === undefined ? undefined : app.standin.stores.forms.get(id);
    if (!form) throw ApiError.notFound();
    return form;
  };

  for (const url of ['/form', '/form/:formId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'form');
      const { stores, config } = request.server.standin;
      const form = stores.db.transaction(() => createForm(stores, config.now(), request.params.formId, input)).immediate();
      return { form };
    });
  }
  app.get('/form', async () => ({ forms: app.standin.stores.forms.list() }));
  app.get<{ Params: Params }>('/form/:formId', { schema: { params } }, async (request) => ({ form: load(request.params.formId) }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/form/:formId', { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'form');
      const { stores, config } = request.server.standin;
      const form = stores.db.transaction(() => updateForm(stores, config.now(), load(request.params.formId), input, mode)).immediate();
      return { form };
    });
  }
  app.delete<{ Params: Params }>('/form/:formId', { schema: { params } }, async (request, reply) => {
    const { stores } = request.server.standin;
    stores.db
      .transaction(() => {
        deleteForm(stores, load(request.params.formId));
      })
      .immediate();
    return reply.code(200).send();
  });
}
