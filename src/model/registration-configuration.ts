import type { Application } from './application.js';
import { isObject, type JsonObject } from './json.js';

/** The optional fields of FusionAuth's basic self-service registration form, each `{enabled, required}`. */
export const REGISTRATION_FIELDS = ['firstName', 'middleName', 'lastName', 'fullName', 'birthDate', 'mobilePhone', 'preferredLanguages'] as const;
export type RegistrationField = (typeof REGISTRATION_FIELDS)[number];

export interface Requirable {
  enabled: boolean;
  required: boolean;
}

/**
 * An application's `registrationConfiguration` as the hosted registration page reads it, with FusionAuth's
 * defaults (Application API, https://fusionauth.io/docs/apis/applications, "registrationConfiguration"):
 * off, `basic`, login by email, no password confirmation, every optional field off.
 */
export interface RegistrationConfiguration {
  enabled: boolean;
  type: 'basic' | 'advanced';
  loginIdType: 'email' | 'username' | 'phoneNumber';
  confirmPassword: boolean;
  fields: Record<RegistrationField, Requirable>;
  /** The registration form of an `advanced` configuration (Forms API), in lower case. */
  formId: string | undefined;
}

export function registrationConfigurationOf(application: Application): RegistrationConfiguration {
  const given: JsonObject = isObject(application.registrationConfiguration) ? application.registrationConfiguration : {};
  const fields = Object.fromEntries(
    REGISTRATION_FIELDS.map((name) => {
      const field: JsonObject = isObject(given[name]) ? given[name] : {};
      const enabled = field.enabled === true;
      // A field that is not shown cannot be required.
      return [name, { enabled, required: enabled && field.required === true }];
    }),
  ) as Record<RegistrationField, Requirable>;
  const loginIdType = given.loginIdType === 'username' || given.loginIdType === 'phoneNumber' ? given.loginIdType : 'email';
  return {
    enabled: given.enabled === true,
    type: given.type === 'advanced' ? 'advanced' : 'basic',
    loginIdType,
    confirmPassword: given.confirmPassword === true,
    fields,
    formId: typeof given.formId === 'string' ? given.formId.toLowerCase() : undefined,
  };
}
