import { FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from './json.js';
import { optionalBoolean, optionalObject } from './optional-fields.js';

/**
 * FusionAuth's consent (https://fusionauth.io/docs/apis/consents): a permission that can be granted to a user, with
 * the age from which a user may grant it to themselves. Consents belong to no tenant.
 */
export interface Consent extends JsonObject {
  id: string;
  name: string;
  consentEmailTemplateId?: string;
  /** Locale → minimum age of self-consent, overriding the default for users of that locale. */
  countryMinimumAgeForSelfConsent: Record<string, number>;
  data: JsonObject;
  defaultMinimumAgeForSelfConsent: number;
  emailPlus: EmailPlus;
  multipleValuesAllowed: boolean;
  values: string[];
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface EmailPlus extends JsonObject {
  enabled: boolean;
  emailTemplateId?: string;
  minimumTimeToSendEmailInHours: number;
  maximumTimeToSendEmailInHours: number;
}

export interface ConsentContext {
  id: string;
  now: number;
  existing?: Consent;
  /** Whether an email template with this (lower-case) id exists. */
  templateExists: (id: string) => boolean;
}

// The Consent API's defaults for Email Plus (request body: 24 and 48 hours).
const EMAIL_PLUS_DEFAULTS = { minimumTimeToSendEmailInHours: 24, maximumTimeToSendEmailInHours: 48 };

/**
 * Builds a consent from the `consent` member of a request, or throws FusionAuth's field errors, every one at once:
 * `[blank]consent.name`, `[missing]consent.defaultMinimumAgeForSelfConsent` (`[invalid]` below 0),
 * `[invalid]consent.consentEmailTemplateId` for a template that does not exist, and, with Email Plus on,
 * `[missing]` for either template and `[invalid]` hours (not above 0, or a minimum above the maximum). A member of
 * the wrong type is `[invalid]`.
 */
export function buildConsent(input: JsonObject, context: ConsentContext): Consent {
  const errors = new FieldErrors();
  const {
    name,
    consentEmailTemplateId,
    countryMinimumAgeForSelfConsent,
    data,
    defaultMinimumAgeForSelfConsent,
    emailPlus,
    multipleValuesAllowed,
    values,
  } = input;
  if (typeof name !== 'string' || name.trim() === '') errors.add('consent.name', 'blank', 'You must specify the [consent.name] property.');
  const templateId = templateIdOf(consentEmailTemplateId, 'consent.consentEmailTemplateId', context, errors);
  if (defaultMinimumAgeForSelfConsent === undefined || defaultMinimumAgeForSelfConsent === null) {
    errors.add('consent.defaultMinimumAgeForSelfConsent', 'missing', 'You must specify the [consent.defaultMinimumAgeForSelfConsent] property.');
  } else if (!isAge(defaultMinimumAgeForSelfConsent)) {
    errors.add(
      'consent.defaultMinimumAgeForSelfConsent',
      'invalid',
      'The [consent.defaultMinimumAgeForSelfConsent] property must be a whole number of years, 0 or more.',
    );
  }
  const consent: Consent = {
    id: context.id,
    name: typeof name === 'string' ? name : '',
    countryMinimumAgeForSelfConsent: countryAges(countryMinimumAgeForSelfConsent, errors),
    data: optionalObject(data, 'consent.data', errors),
    defaultMinimumAgeForSelfConsent: isAge(defaultMinimumAgeForSelfConsent) ? defaultMinimumAgeForSelfConsent : 0,
    emailPlus: emailPlusOf(emailPlus, consentEmailTemplateId !== undefined && consentEmailTemplateId !== null, context, errors),
    multipleValuesAllowed: optionalBoolean(multipleValuesAllowed, 'consent.multipleValuesAllowed', errors),
    values: valuesOf(values, errors),
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
  if (templateId !== undefined) consent.consentEmailTemplateId = templateId;
  errors.throwIfAny();
  return consent;
}

function emailPlusOf(value: unknown, consentTemplateGiven: boolean, context: ConsentContext, errors: FieldErrors): EmailPlus {
  if (value === undefined || value === null) return { enabled: false, ...EMAIL_PLUS_DEFAULTS };
  if (!isObject(value)) {
    errors.add('consent.emailPlus', 'invalid', 'The [consent.emailPlus] property must be an object.');
    return { enabled: false, ...EMAIL_PLUS_DEFAULTS };
  }
  const enabled = optionalBoolean(value.enabled, 'consent.emailPlus.enabled', errors);
  const templateId = templateIdOf(value.emailTemplateId, 'consent.emailPlus.emailTemplateId', context, errors);
  const hours = (field: keyof typeof EMAIL_PLUS_DEFAULTS): number => {
    const given = value[field];
    if (given === undefined || given === null) return EMAIL_PLUS_DEFAULTS[field];
    if (typeof given === 'number' && Number.isInteger(given)) return given;
    errors.add(`consent.emailPlus.${field}`, 'invalid', `The [consent.emailPlus.${field}] property must be a whole number of hours.`);
    return EMAIL_PLUS_DEFAULTS[field];
  };
  const emailPlus: EmailPlus = {
    enabled,
    minimumTimeToSendEmailInHours: hours('minimumTimeToSendEmailInHours'),
    maximumTimeToSendEmailInHours: hours('maximumTimeToSendEmailInHours'),
  };
  if (templateId !== undefined) emailPlus.emailTemplateId = templateId;
  if (enabled) {
    // The follow-up is sent to the giver after the first email: both templates are needed.
    // A template id given but naming nothing is already `[invalid]`; only a missing one is reported here.
    if (!consentTemplateGiven)
      errors.add(
        'consent.consentEmailTemplateId',
        'missing',
        'You must specify the [consent.consentEmailTemplateId] property when [consent.emailPlus.enabled] is true.',
      );
    if (value.emailTemplateId === undefined || value.emailTemplateId === null)
      errors.add(
        'consent.emailPlus.emailTemplateId',
        'missing',
        'You must specify the [consent.emailPlus.emailTemplateId] property when [consent.emailPlus.enabled] is true.',
      );
    const { minimumTimeToSendEmailInHours: min, maximumTimeToSendEmailInHours: max } = emailPlus;
    if (min <= 0)
      errors.add(
        'consent.emailPlus.minimumTimeToSendEmailInHours',
        'invalid',
        'The [consent.emailPlus.minimumTimeToSendEmailInHours] property must be greater than 0.',
      );
    if (max <= 0)
      errors.add(
        'consent.emailPlus.maximumTimeToSendEmailInHours',
        'invalid',
        'The [consent.emailPlus.maximumTimeToSendEmailInHours] property must be greater than 0.',
      );
    if (min > 0 && max > 0 && min > max)
      errors.add(
        'consent.emailPlus.maximumTimeToSendEmailInHours',
        'invalid',
        'The [consent.emailPlus.maximumTimeToSendEmailInHours] property must not be less than [consent.emailPlus.minimumTimeToSendEmailInHours].',
      );
  }
  return emailPlus;
}

/** An email template id: lower-cased, and it must name a template (`[invalid]<field>`). */
function templateIdOf(value: unknown, field: string, context: ConsentContext, errors: FieldErrors): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isUuid(value) || !context.templateExists(value.toLowerCase())) {
    errors.add(field, 'invalid', `The [${field}] property does not identify an email template.`);
    return undefined;
  }
  return value.toLowerCase();
}

function countryAges(value: unknown, errors: FieldErrors): Record<string, number> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    errors.add(
      'consent.countryMinimumAgeForSelfConsent',
      'invalid',
      'The [consent.countryMinimumAgeForSelfConsent] property must be an object of ages by locale.',
    );
    return {};
  }
  const ages: Record<string, number> = {};
  for (const [locale, age] of Object.entries(value)) {
    if (age === null || age === undefined) continue;
    if (isAge(age)) ages[locale] = age;
    else
      errors.add(
        `consent.countryMinimumAgeForSelfConsent.${locale}`,
        'invalid',
        `The [consent.countryMinimumAgeForSelfConsent.${locale}] property must be a whole number of years, 0 or more.`,
      );
  }
  return ages;
}

function valuesOf(value: unknown, errors: FieldErrors): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    errors.add('consent.values', 'invalid', 'The [consent.values] property must be a list of strings.');
    return [];
  }
  return value as string[];
}

function isAge(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The settings of a consent Standin stores and does not act on: Email Plus sends a follow-up later, which Standin never does. */
export function unmodelledConsentSettings(consent: JsonObject): string[] {
  return isObject(consent.emailPlus) && consent.emailPlus.enabled === true ? ['consent.emailPlus.enabled'] : [];
}
