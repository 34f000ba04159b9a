import { ApiError, FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';

/**
 * FusionAuth's Integrations (https://fusionauth.io/docs/apis/integrations): CleanSpeak (username moderation) and Kafka
 * (events sent to a topic). Standin calls neither, so it keeps their settings only while they are disabled, where
 * FusionAuth would not call them either; a request that enables one answers `[NotModelled]` and stores nothing
 * (docs/management-api.md, "Integrations").
 */
export interface Integrations extends JsonObject {
  cleanspeak: JsonObject & { enabled: false };
  kafka: JsonObject & { enabled: false };
}

const KNOWN = ['cleanspeak', 'kafka'] as const;

/** What GET answers before anything is stored: both disabled. */
export function defaultIntegrations(): Integrations {
  return { cleanspeak: { enabled: false, usernameModeration: { enabled: false } }, kafka: { enabled: false, producer: {} } };
}

/** The `integrations` member of a request, checked; throws `[NotModelled]` when it enables anything. */
export function buildIntegrations(input: JsonObject): Integrations {
  const errors = new FieldErrors();
  for (const name of Object.keys(input)) {
    if (!(KNOWN as readonly string[]).includes(name))
      errors.add(`integrations.${name}`, 'invalid', `The [integrations.${name}] property is not an integration: [cleanspeak] or [kafka].`);
  }
  const built = defaultIntegrations();
  for (const name of KNOWN) {
    const given = input[name] ?? {};
    if (!isObject(given)) {
      errors.add(`integrations.${name}`, 'invalid', `The [integrations.${name}] property must be an object.`);
      continue;
    }
    built[name] = { ...built[name], ...given };
  }
  errors.throwIfAny();
  const enabled = [
    built.cleanspeak.enabled,
    isObject(built.cleanspeak.usernameModeration) ? built.cleanspeak.usernameModeration.enabled : false,
    built.kafka.enabled,
  ];
  if (enabled.some((value) => value !== false && value !== undefined && value !== null)) {
    throw ApiError.general(
      '[NotModelled]',
      'Standin calls neither CleanSpeak nor Kafka: an enabled integration would never be used, so it is not stored; see docs/management-api.md.',
    );
  }
  return built;
}
