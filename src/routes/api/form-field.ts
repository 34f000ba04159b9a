import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createFormField, deleteFormField, updateFormField } from '../../manage/forms.js';
import { requireMember } from '../../manage/request-body.js';
import type { FormField } from '../../model/form-field.js';
import { uuidParams } from './schemas.js';

interface Params {
  fieldId?: string;
}

/**
 * FusionAuth's Form Field API (https://fusionauth.io/docs/apis/custom-forms/form-fields): create, retrieve one or all,
 * replace, merge-patch, delete (refused while a form uses the field). Fields belong to no tenant: FusionAuth asks for
 * a key bound to none (model/api-key.ts). Standin stores fields and never renders them (docs/custom-forms.md).
 */
export async function formFieldRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('fieldId');
  const load = (id: string | undefined): FormField => {
    const field = id === undefined ? undefined : app.standin.stores.formFields.get(id);
    if (!field) throw ApiError.notFound();
    return field;
  };

  for (const url of ['/form/field', '/form/field/:fieldId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'field');
      const { stores, config } = request.server.standin;
      const field = stores.db.transaction(() => createFormField(stores, config.now(), request.params.fieldId, input)).immediate();
      return { field };
    });
  }
  app.get('/form/field', async () => ({ fields: app.standin.stores.formFields.list() }));
  app.get<{ Params: Params }>('/form/field/:fieldId', { schema: { params } }, async (request) => ({ field: load(request.params.fieldId) }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/form/field/:fieldId', { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'field');
      const { stores, config } = request.server.standin;
      const field = stores.db.transaction(() => updateFormField(stores, config.now(), load(request.params.fieldId), input, mode)).immediate();
      return { field };
    });
  }
  app.delete<{ Params: Params }>('/form/field/:fieldId', { schema: { params } }, async (request, reply) => {
    const { stores } = request.server.standin;
    stores.db
      .transaction(() => {
        deleteFormField(stores, load(request.params.fieldId));
      })
      .immediate();
    return reply.code(200).send();
  });
}
