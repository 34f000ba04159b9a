import type { FastifyRequest } from 'fastify';
import { FieldErrors } from '../../errors.js';
import { requireBody, requireMember } from '../../manage/request-body.js';
import type { JsonObject } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import { namedTenantId, requestTenant } from './tenant-scope.js';

/** What a template preview (email or message) is asked for: the unsaved template, its locale, the tenant to render in. */
export interface TemplatePreviewRequest {
  template: JsonObject;
  locale: string | undefined;
  tenant: Tenant;
}

/**
 * Reads `{<member>: {...}, locale}` of Preview an Email Template and Preview a Message Template. Templates belong to no
 * tenant, so the preview renders in the tenant the request names, else the first there is.
 */
export function templatePreviewRequest(request: FastifyRequest, member: string): TemplatePreviewRequest {
  const body = requireBody(request.body);
  const template = requireMember(body, member);
  const { locale } = body;
  if (locale !== undefined && locale !== null && (typeof locale !== 'string' || locale.length > 64)) {
    new FieldErrors().add('locale', 'invalid', 'The [locale] property must be a locale such as [fr] or [fr_CA].').throwIfAny();
  }
  const tenant = namedTenantId(request) === undefined ? request.server.standin.stores.tenants.list()[0]! : requestTenant(request);
  return { template, locale: typeof locale === 'string' && locale !== '' ? locale : undefined, tenant };
}
