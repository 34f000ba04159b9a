/** The event types Standin sends (docs/webhooks.md, "Events Standin sends"); the others are listed there with why not. */
const EVENT_TYPES_STANDIN_SENDS: ReadonlySet<string> = new Set([
  'entity.create',
  'entity.create.complete',
  'entity.delete',
  'entity.delete.complete',
  'entity.update',
  'entity.update.complete',
  'group.create',
  'group.create.complete',
  'group.delete',
  'group.delete.complete',
  'group.member.add',
  'group.member.add.complete',
  'group.member.remove',
  'group.member.remove.complete',
  'group.member.update',
  'group.member.update.complete',
  'group.update',
  'group.update.complete',
  'jwt.public-key.update',
  'jwt.refresh',
  'jwt.refresh-token.revoke',
  'user.bulk.create',
  'user.create',
  'user.create.complete',
  'user.identity-provider.link',
  'user.identity-provider.unlink',
  'user.deactivate',
  'user.delete',
  'user.delete.complete',
  'user.email.update',
  'user.email.verified',
  'user.login.failed',
  'user.login.success',
  'user.password.reset.send',
  'user.password.reset.start',
  'user.password.reset.success',
  'user.password.update',
  'user.reactivate',
  'user.registration.create',
  'user.registration.create.complete',
  'user.registration.delete',
  'user.registration.delete.complete',
  'user.registration.update',
  'user.registration.update.complete',
  'user.registration.verified',
  'user.two-factor.method.add',
  'user.two-factor.method.remove',
  'user.update',
  'user.update.complete',
]);

/** The event types FusionAuth has and Standin never sends (docs/webhooks.md says why for each). */
const EVENT_TYPES_NEVER_SENT: ReadonlySet<string> = new Set([
  'audit-log.create',
  'event-log.create',
  'kickstart.success',
  'test',
  'user.action',
  'user.identity.update',
  'user.identity.verified',
  'user.login.new-device',
  'user.login.suspicious',
  'user.loginId.duplicate.create',
  'user.loginId.duplicate.update',
  'user.password.breach',
  'user.two-factor.challenge',
  'user.two-factor.failed-attempt',
  'user.two-factor.success',
]);

/**
 * Every event type FusionAuth defines, as spelled on the wire: its EventType enum
 * (https://fusionauth.io/docs/extend/events-and-webhooks/events/). FusionAuth reads a webhook's `eventsEnabled`
 * keys as that enum, so a key outside this list is a request it cannot parse.
 */
const FUSIONAUTH_EVENT_TYPES: ReadonlySet<string> = new Set([...EVENT_TYPES_STANDIN_SENDS, ...EVENT_TYPES_NEVER_SENT]);

/** The first key of an `eventsEnabled` map that is not a FusionAuth event type, if any. */
export function unknownEventType(eventsEnabled: Record<string, unknown>): string | undefined {
  return Object.keys(eventsEnabled).find((type) => !FUSIONAUTH_EVENT_TYPES.has(type));
}

/** The event types of an `eventsEnabled` map that are turned on but that Standin never sends. */
export function enabledEventsNeverSent(eventsEnabled: Record<string, boolean>): string[] {
  return Object.entries(eventsEnabled)
    .filter(([type, on]) => on && EVENT_TYPES_NEVER_SENT.has(type))
    .map(([type]) => type);
}
