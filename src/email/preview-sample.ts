import type { JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { Standin } from '../standin.js';
import { baseUrlOf, withoutSmtpPassword } from './send-templated-email.js';

// The sample objects a preview renders with: the ids are fixed so that a preview is the same every time.
const SAMPLE_USER_ID = '00000000-0000-4000-8000-0000000000e1';
const SAMPLE_APPLICATION_ID = '00000000-0000-4000-8000-0000000000e2';
const SAMPLE_REGISTRATION_ID = '00000000-0000-4000-8000-0000000000e3';

/**
 * The data a template preview renders with (Preview an Email Template, Preview a Message Template): what Standin's own
 * emails and messages have (docs/email.md, "Which template an email uses"), filled with sample values: a sample user,
 * the request's tenant, a sample application, and a value for each email's own variable, so that any template previews.
 */
export function previewSampleModel(standin: Standin, tenant: Tenant, locale: string | undefined): JsonObject {
  const now = standin.config.now();
  const application = {
    id: SAMPLE_APPLICATION_ID,
    name: 'Sample application',
    tenantId: tenant.id,
    active: true,
    oauthConfiguration: { clientId: SAMPLE_APPLICATION_ID },
  };
  const registration = { id: SAMPLE_REGISTRATION_ID, applicationId: SAMPLE_APPLICATION_ID, roles: [], verified: false, insertInstant: now };
  const user = {
    id: SAMPLE_USER_ID,
    tenantId: tenant.id,
    email: 'jane.doe@example.com',
    username: 'janedoe',
    firstName: 'Jane',
    lastName: 'Doe',
    fullName: 'Jane Doe',
    active: true,
    verified: true,
    preferredLanguages: locale === undefined ? [] : [locale],
    data: {},
    registrations: [registration],
    insertInstant: now,
    lastUpdateInstant: now,
  };
  return {
    user,
    tenant: withoutSmtpPassword(tenant),
    application,
    registration,
    baseUrl: baseUrlOf(standin, tenant, undefined),
    verificationId: 'sample-verification-id',
    verificationOneTimeCode: 'SAMPLE1',
    changePasswordId: 'sample-change-password-id',
    code: '123456',
    oneTimeCode: '123456',
    state: {},
    requestData: {},
    parent: { ...user, id: '00000000-0000-4000-8000-0000000000e4', email: 'john.doe@example.com', firstName: 'John', fullName: 'John Doe' },
  };
}
