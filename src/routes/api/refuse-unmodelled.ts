import type { FastifyRequest } from 'fastify';
import { ApiError, type ErrorMessage } from '../../errors.js';
import { isReplaying } from '../../kickstart/replay-requests.js';
import { notRunAttachments } from '../../lambdas/not-run.js';
import { refuseUnparsableEventConfiguration } from '../../model/event-configuration.js';
import { enabledEventsNeverSent, unknownEventType } from '../../model/event-types.js';
import { unmodelledIdentityProviderSettings } from '../../model/identity-provider.js';
import { isObject, type JsonObject } from '../../model/json.js';
import { unmodelledSettings } from '../../model/unmodelled-settings.js';

/**
 * Refuses, with `[NotModelled]`, a tenant or application request that asks for behaviour Standin would skip in
 * silence if it stored it: a lambda attached where Standin never runs one (login validation, self-service
 * registration validation, SAML and client credentials populate, …; docs/lambdas.md), or a setting turned on that
 * Standin does not act on (password ages, CAPTCHA, rate limits, …; model/unmodelled-settings.ts). A kickstart's are
 * accepted and listed in the start banner, so that kickstarts written for FusionAuth run unchanged.
 */
export function refuseUnmodelled(
  request: FastifyRequest,
  owner: 'application' | 'tenant',
  input: JsonObject,
  existing: JsonObject | undefined,
): void {
  // An event type or transaction type FusionAuth has not is JSON it cannot parse, which it reports before anything else.
  if (owner === 'tenant') refuseUnparsableEventConfiguration(input.eventConfiguration);
  if (isReplaying(request.server)) return;
  const lambdaFields = notRunAttachments(owner, input, existing);
  const settings = turnedOn((object) => unmodelledSettings(owner, object), input, existing);
  const generalErrors: ErrorMessage[] = [];
  if (lambdaFields.length > 0) {
    const message = `Standin does not run the lambdas of [${lambdaFields.join('], [')}]: a lambda attached there would never run; see docs/lambdas.md.`;
    generalErrors.push({ code: '[NotModelled]', message });
  }
  if (settings.length > 0) {
    const message = `Standin does not act on [${settings.join('], [')}]: stored, the setting would have no effect; see docs/built-ins-and-defaults.md.`;
    generalErrors.push({ code: '[NotModelled]', message });
  }
  if (generalErrors.length > 0) throw new ApiError(400, { fieldErrors: {}, generalErrors });
}

/**
 * Refuses, with `[NotModelled]`, a webhook request that turns on an event type FusionAuth has and Standin never
 * sends (docs/webhooks.md, "Not sent yet, and why"): the webhook would wait for it forever. Types the webhook
 * had on already are not refused again, and a kickstart's are stored and listed in the start banner.
 */
export function refuseEventsNeverSent(request: FastifyRequest, input: JsonObject, existing: JsonObject | undefined): void {
  // A key that is no event type at all is the unparsable JSON buildWebhook answers, which FusionAuth reports first.
  if (isReplaying(request.server) || !isObject(input.eventsEnabled) || unknownEventType(input.eventsEnabled) !== undefined) return;
  const neverSent = turnedOn(webhookEventsNeverSent, input, existing);
  if (neverSent.length === 0) return;
  const message = `Standin never sends [${neverSent.join('], [')}]: a webhook would wait for them forever; see docs/webhooks.md.`;
  throw ApiError.general('[NotModelled]', message);
}

/**
 * Refuses, with `[NotModelled]`, an OpenID Connect identity provider whose settings Standin's login would not follow
 * (managed domains, a reconcile lambda, a pending-link strategy, …; model/identity-provider.ts). What the provider had
 * already is not refused again; a kickstart's are stored and listed in the start banner.
 */
export function refuseUnmodelledIdentityProvider(request: FastifyRequest, provider: JsonObject, existing: JsonObject | undefined): void {
  if (isReplaying(request.server)) return;
  const settings = turnedOn(unmodelledIdentityProviderSettings, provider, existing);
  if (settings.length === 0) return;
  const message = `Standin's login through an identity provider does not follow [${settings.join('], [')}]: stored, the provider would log users in differently from FusionAuth; see docs/identity-providers.md.`;
  throw ApiError.general('[NotModelled]', message);
}

/**
 * What `unmodelled` finds in the request's `input` that it did not find in `existing`, the object the request changes
 * (if any): what was on already is not refused again, so a PUT that sends back what a kickstart stored goes through.
 */
function turnedOn(unmodelled: (object: JsonObject) => string[], input: JsonObject, existing: JsonObject | undefined): string[] {
  const already = new Set(existing === undefined ? [] : unmodelled(existing));
  return unmodelled(input).filter((found) => !already.has(found));
}

/** The event types a webhook (a request's or a stored one) listens for that Standin never sends. */
function webhookEventsNeverSent(webhook: JsonObject): string[] {
  return isObject(webhook.eventsEnabled) ? enabledEventsNeverSent(webhook.eventsEnabled as Record<string, boolean>) : [];
}
