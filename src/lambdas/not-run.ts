import type { Application } from '../model/application.js';
import { isObject, type JsonObject } from '../model/json.js';
import { applicationLambdaIds, type Lambda } from '../model/lambda.js';
import type { Tenant } from '../model/tenant.js';
import { RUNNABLE_TYPES } from './lambda-runtime.js';

// The application and tenant `lambdaConfiguration` fields whose lambdas Standin runs (docs/lambdas.md); every other
// attachment is stored only.
const RUN_FIELDS = {
  application: new Set([
    'accessTokenPopulateId',
    'idTokenPopulateId',
    'userinfoPopulateId',
    'selfServiceRegistrationValidationId',
    'multiFactorRequirementId',
  ]),
  tenant: new Set(['loginValidationId', 'multiFactorRequirementId']),
};

/**
 * One line per lambda Standin keeps but never runs, with where it is attached: an application field Standin does not
 * act on (SAML populate), a tenant's SCIM converters (its login validation, MFA requirement and client credentials
 * populate lambdas run), or a type no attachment runs (the reconcile lambdas of identity provider types Standin does
 * not model).
 */
export function lambdasThatDoNotRun(lambdas: Lambda[], applications: Application[], tenants: Tenant[]): string[] {
  const byId = new Map(lambdas.map((lambda) => [lambda.id, lambda]));
  const lines: string[] = [];
  const describe = (id: string) => {
    const lambda = byId.get(id.toLowerCase());
    return lambda ? `${lambda.name} (${lambda.type})` : `${id} (no such lambda)`;
  };
  const attached = new Set<string>();
  for (const application of applications) {
    for (const { field, id } of applicationLambdaIds(application)) {
      attached.add(id.toLowerCase());
      if (!RUN_FIELDS.application.has(field)) lines.push(`${describe(id)}  attached to application ${application.name} as ${field}`);
    }
  }
  for (const tenant of tenants) {
    const oauth = isObject(tenant.oauthConfiguration) ? tenant.oauthConfiguration : {};
    const populate = oauth.clientCredentialsAccessTokenPopulateLambdaId;
    if (typeof populate === 'string' && populate !== '') attached.add(populate.toLowerCase());
    const fields = isObject(tenant.lambdaConfiguration) ? tenant.lambdaConfiguration : {};
    for (const [field, id] of Object.entries(fields)) {
      if (typeof id !== 'string' || id === '') continue;
      attached.add(id.toLowerCase());
      if (!RUN_FIELDS.tenant.has(field)) lines.push(`${describe(id)}  attached to tenant ${tenant.name} as ${field}`);
    }
  }
  for (const lambda of lambdas) {
    if (!RUNNABLE_TYPES.has(lambda.type) && !attached.has(lambda.id))
      lines.push(`${lambda.name} (${lambda.type})  stored; Standin does not run this type`);
  }
  return lines;
}

/**
 * The lambda fields `input` (an application's or a tenant's request member) sets to a lambda Standin never runs, where
 * `existing` held another value: `tenant.lambdaConfiguration.scimUserRequestConverterId`, … Outside a kickstart these
 * are answered `[NotModelled]` (routes/api/refuse-unmodelled.ts), so that a lambda a test relies on is not silently
 * skipped; a kickstart's are listed in the start banner instead.
 */
export function notRunAttachments(owner: 'application' | 'tenant', input: JsonObject, existing: JsonObject | undefined): string[] {
  const fields = (object: JsonObject | undefined): Record<string, unknown> => {
    const lambdas = isObject(object?.lambdaConfiguration) ? object.lambdaConfiguration : {};
    return Object.fromEntries(Object.entries(lambdas).filter(([field]) => !RUN_FIELDS[owner].has(field)));
  };
  const before = fields(existing);
  const path = (field: string) => `${owner}.lambdaConfiguration.${field}`;
  return Object.entries(fields(input))
    .filter(([field, id]) => {
      const was = before[field];
      return typeof id === 'string' && id !== '' && id.toLowerCase() !== (typeof was === 'string' ? was.toLowerCase() : undefined);
    })
    .map(([field]) => path(field));
}
