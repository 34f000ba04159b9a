import type { FastifyInstance } from 'fastify';
import { sendTemplatedEmail, type SendResult } from '../../email/send-templated-email.js';
import { ApiError, FieldErrors } from '../../errors.js';
import { requireBody } from '../../manage/request-body.js';
import { isObject, isUuid } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { uuidParams } from './schemas.js';
import { isVisible, requestTenant } from './tenant-scope.js';

interface EmailTemplateErrors {
  parseErrors: Record<string, string>;
  renderErrors: Record<string, string>;
}

// One request may not fan out without bound.
const MAX_RECIPIENTS = 1000;

/**
 * FusionAuth's Send Email API, `POST /api/email/send/{emailTemplateId}` (https://fusionauth.io/docs/apis/emails):
 * the template to each of `userIds` (with `user` in the template) and each of `toAddresses` (without), with
 * `requestData`, `applicationId`, `ccAddresses`, `bccAddresses`, `preferredLanguages`. Answers 202 at once;
 * delivery is queued. `results` / `anonymousResults` list only the recipients whose email failed to render.
 */
export async function emailSendRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Params: { emailTemplateId: string } }>(
    '/email/send/:emailTemplateId',
    { schema: { params: uuidParams('emailTemplateId') } },
    async (request, reply) => {
      const template = app.standin.stores.emailTemplates.get(request.params.emailTemplateId);
      if (!template) throw ApiError.notFound();
      const body = requireBody(request.body);
      const errors = new FieldErrors();
      const strings = (field: string): string[] => {
        const value = body[field];
        if (value === undefined || value === null) return [];
        if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
          errors.add(field, 'invalid', `The [${field}] property must be a list of strings.`);
          return [];
        }
        return value;
      };
      const userIds = strings('userIds');
      const cc = strings('ccAddresses');
      const bcc = strings('bccAddresses');
      const preferredLanguages = strings('preferredLanguages');
      const toAddresses = Array.isArray(body.toAddresses) ? body.toAddresses : [];
      if (body.toAddresses !== undefined && body.toAddresses !== null && !Array.isArray(body.toAddresses))
        errors.add('toAddresses', 'invalid', 'The [toAddresses] property must be a list.');
      const anonymous = toAddresses.flatMap((entry, index) => {
        if (isObject(entry) && typeof entry.address === 'string' && /^[^\s@]+@[^\s@]+$/.test(entry.address)) {
          return [{ address: entry.address, ...(typeof entry.display === 'string' && entry.display !== '' ? { name: entry.display } : {}) }];
        }
        errors.add(`toAddresses[${index}].address`, 'invalid', 'Each entry of [toAddresses] must have an email [address].');
        return [];
      });
      for (const [field, list] of [
        ['ccAddresses', cc],
        ['bccAddresses', bcc],
      ] as const) {
        if (!list.every((address) => /^[^\s@,]+@[^\s@,]+$/.test(address)))
          errors.add(field, 'invalid', `The [${field}] property must hold email addresses.`);
      }
      if (userIds.length === 0 && anonymous.length === 0)
        errors.add('userIds', 'blank', 'You must specify at least one value in [userIds] or [toAddresses].');
      if (userIds.length + anonymous.length > MAX_RECIPIENTS) errors.add('userIds', 'tooMany', `At most ${MAX_RECIPIENTS} recipients per request.`);
      const users: User[] = [];
      for (const id of userIds) {
        const user = isUuid(id) ? app.standin.stores.users.get(id) : undefined;
        if (!user || !isVisible(request, user.tenantId))
          errors.add('userIds', 'invalid', `The [userIds] property contains [${id}], which is not the Id of a user.`);
        else users.push(user);
      }
      let application;
      if (body.applicationId !== undefined && body.applicationId !== null) {
        application =
          typeof body.applicationId === 'string' && isUuid(body.applicationId) ? app.standin.stores.applications.get(body.applicationId) : undefined;
        if (!application || !isVisible(request, application.tenantId))
          errors.add('applicationId', 'invalid', 'The [applicationId] property is not the Id of an application.');
      }
      errors.throwIfAny();

      const requestData = isObject(body.requestData) ? body.requestData : undefined;
      const common = {
        templateId: template.id,
        ...(application ? { application } : {}),
        ...(requestData ? { variables: { requestData } } : {}),
        ...(preferredLanguages.length ? { preferredLanguages } : {}),
        cc,
        bcc,
      };
      // Resolved before anything is sent: a request refused for its tenant must have sent nothing.
      const anonymousTenant =
        anonymous.length === 0 ? undefined : application ? app.standin.stores.tenants.get(application.tenantId)! : requestTenant(request);
      const results: Record<string, EmailTemplateErrors> = {};
      const anonymousResults: Record<string, EmailTemplateErrors> = {};
      for (const user of users) {
        const tenant = app.standin.stores.tenants.get(user.tenantId)!;
        const outcome = sendTemplatedEmail(app.standin, { ...common, tenant, user });
        if (!outcome.ok) results[user.id] = errorsOf(outcome);
      }
      for (const to of anonymousTenant ? anonymous : []) {
        const outcome = sendTemplatedEmail(app.standin, { ...common, tenant: anonymousTenant!, to });
        if (!outcome.ok) anonymousResults[to.address] = errorsOf(outcome);
      }
      // 202: the emails are queued, not yet delivered (https://fusionauth.io/docs/apis/emails#send-an-email).
      return reply.code(202).send({ anonymousResults, results });
    },
  );
}

function errorsOf(result: Extract<SendResult, { ok: false }>): EmailTemplateErrors {
  if (result.reason === 'render') return { parseErrors: {}, renderErrors: { [result.field]: result.message } };
  return { parseErrors: {}, renderErrors: { user: result.message } };
}
