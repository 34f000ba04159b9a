import type { Application } from './application.js';
import { withDefaults, type JsonObject } from './json.js';

const FIELD_OFF = { enabled: false, required: false };

/**
 * What FusionAuth answers for the application members a request leaves out and Standin does not act on, from
 * FusionAuth's Application API request body (https://fusionauth.io/docs/apis/applications, "Request Body"):
 * the documented defaults, and `false` for the switches documented as off unless set. The members Standin acts
 * on keep their defaults in model/application.ts, merged when an application is written; the OAuth scope
 * policies are not among these. Applied when an application is answered, never stored
 * (docs/built-ins-and-defaults.md).
 */
export const APPLICATION_ANSWER_DEFAULTS: JsonObject = {
  authenticationTokenConfiguration: { enabled: false },
  oauthConfiguration: { authorizedResourceUris: [] },
  passwordlessConfiguration: { enabled: false },
  registrationConfiguration: {
    birthDate: FIELD_OFF,
    confirmPassword: false,
    firstName: FIELD_OFF,
    fullName: FIELD_OFF,
    lastName: FIELD_OFF,
    loginIdType: 'email',
    middleName: FIELD_OFF,
    mobilePhone: FIELD_OFF,
    preferredLanguages: FIELD_OFF,
    type: 'basic',
  },
  registrationDeletePolicy: { unverified: { enabled: false } },
  webAuthnConfiguration: { bootstrapWorkflow: { enabled: false }, enabled: false, reauthenticationWorkflow: { enabled: false } },
};

/** An application as FusionAuth answers it: what was stored, and FusionAuth's defaults for what was left out. */
export function applicationWithDefaults(application: Application): Application {
  const answered = withDefaults(APPLICATION_ANSWER_DEFAULTS as Application, application);
  const oauth = answered.oauthConfiguration;
  // Deprecated since 1.28.0 in favour of clientAuthenticationPolicy, which decides it (Application API).
  if (oauth.requireClientAuthentication === undefined) oauth.requireClientAuthentication = oauth.clientAuthenticationPolicy === 'Required';
  return answered;
}
