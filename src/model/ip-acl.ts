import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';

/**
 * FusionAuth's IP Access Control Lists (https://fusionauth.io/docs/apis/ip-acl): ranges of client addresses, each
 * allowed or blocked, and one default entry (`startIPAddress` `*`) for every other address. Named by an API key
 * (`ipAccessControlListId`), a tenant or an application (`accessControlConfiguration.uiIPAccessControlListId`).
 * Built here from a request's `ipAccessControlList` member; stored by store/ip-acls.ts; applied by `ipAclAllows`.
 *
 * Ranges are parsed and compared by Node's `net.BlockList`, which holds IPv4 and IPv6 ranges, refuses a range whose
 * end comes before its start, and matches an IPv4-mapped IPv6 client (`::ffff:10.0.0.5`) against IPv4 ranges
 * (docs/ip-acls.md says why no npm library).
 */

export type IpAclAction = 'Allow' | 'Block';

export interface IpAclEntry extends JsonObject {
  action: IpAclAction;
  startIPAddress: string;
  /** Absent on the default entry, whose `endIPAddress` FusionAuth ignores. */
  endIPAddress?: string;
}

export interface IpAccessControlList extends JsonObject {
  id: string;
  name: string;
  entries: IpAclEntry[];
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

/** The start address of the default entry (IP ACL API: "One and only one entry must have a startIPAddress of `*`"). */
export const DEFAULT_ENTRY = '*';
const ACTIONS: readonly IpAclAction[] = ['Allow', 'Block'];
const MAX_NAME = 191;
// A list is read on every request of a key or a hosted page that names it: bound so that it stays cheap.
const MAX_ENTRIES = 1000;

interface Built {
  id: string;
  now: number;
  existing?: IpAccessControlList | undefined;
}

/** A list from the `ipAccessControlList` member of a request, with FusionAuth's field errors for each entry. */
export function buildIpAcl(input: JsonObject, context: Built): IpAccessControlList {
  const errors = new FieldErrors();
  const name = typeof input.name === 'string' ? input.name.trim() : undefined;
  if (input.name !== undefined && input.name !== null && typeof input.name !== 'string')
    errors.add('ipAccessControlList.name', 'invalid', 'The [ipAccessControlList.name] property must be a string.');
  else if (!name) errors.add('ipAccessControlList.name', 'blank', 'You must specify the [ipAccessControlList.name] property.');
  else if (name.length > MAX_NAME)
    errors.add('ipAccessControlList.name', 'tooLong', `The [ipAccessControlList.name] property may be at most ${MAX_NAME} characters.`);
  const data = input.data === undefined || input.data === null ? {} : input.data;
  if (!isObject(data)) errors.add('ipAccessControlList.data', 'invalid', 'The [ipAccessControlList.data] property must be an object.');
  const entries = entriesOf(input.entries, errors);
  errors.throwIfAny();
  return {
    id: context.id,
    name: name!,
    entries,
    data: data as JsonObject,
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

function entriesOf(value: unknown, errors: FieldErrors): IpAclEntry[] {
  const field = 'ipAccessControlList.entries';
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    errors.add(field, 'missing', `You must specify the [${field}] property with one entry whose [startIPAddress] is [*].`);
    return [];
  }
  if (!Array.isArray(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be a list of entries.`);
    return [];
  }
  if (value.length > MAX_ENTRIES) {
    errors.add(field, 'tooLong', `The [${field}] property may list at most ${MAX_ENTRIES} entries.`);
    return [];
  }
  const entries = value.flatMap((entry, index) => {
    const built = entryOf(entry, `${field}[${index}]`, errors);
    return built ? [built] : [];
  });
  const defaults = value.filter((entry) => isObject(entry) && entry.startIPAddress === DEFAULT_ENTRY).length;
  if (defaults === 0) errors.add(field, 'missing', `The [${field}] property must have one entry whose [startIPAddress] is [*], the default action.`);
  else if (defaults > 1) errors.add(field, 'duplicate', `The [${field}] property may have only one entry whose [startIPAddress] is [*].`);
  return entries;
}

function entryOf(value: unknown, field: string, errors: FieldErrors): IpAclEntry | undefined {
  if (!isObject(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be an object.`);
    return undefined;
  }
  const { action, startIPAddress: start, endIPAddress: end } = value;
  let valid = true;
  if (action === undefined || action === null || action === '') {
    errors.add(`${field}.action`, 'missing', `You must specify the [${field}.action] property.`);
    valid = false;
  } else if (!ACTIONS.includes(action as IpAclAction)) {
    errors.add(`${field}.action`, 'invalid', `The [${field}.action] property must be one of [${ACTIONS.join(', ')}].`);
    valid = false;
  }
  if (start === DEFAULT_ENTRY) return valid ? { action: action as IpAclAction, startIPAddress: DEFAULT_ENTRY } : undefined;
  const startFamily = addressField(start, `${field}.startIPAddress`, errors);
  const endFamily = addressField(end, `${field}.endIPAddress`, errors);
  if (startFamily === undefined || endFamily === undefined || !valid) return undefined;
  if (startFamily !== endFamily || !rangeInOrder(start as string, end as string, startFamily)) {
    errors.add(
      `${field}.endIPAddress`,
      'invalid',
      `The [${field}.endIPAddress] property must be an address of the same kind as [startIPAddress], and not before it.`,
    );
    return undefined;
  }
  return { action: action as IpAclAction, startIPAddress: start as string, endIPAddress: end as string };
}

type Family = 'ipv4' | 'ipv6';

/** The family of an entry's address, or undefined after a field error. Zone ids (`fe80::1%eth0`) name no client. */
function addressField(value: unknown, field: string, errors: FieldErrors): Family | undefined {
  if (value === undefined || value === null || value === '') {
    errors.add(field, 'missing', `You must specify the [${field}] property.`);
    return undefined;
  }
  const family = typeof value === 'string' && !value.includes('%') ? familyOf(value) : undefined;
  if (family === undefined) errors.add(field, 'invalid', `The [${field}] property must be an IPv4 or IPv6 address.`);
  return family;
}

function familyOf(address: string): Family | undefined {
  if (isIPv4(address)) return 'ipv4';
  if (isIPv6(address)) return 'ipv6';
  return undefined;
}

/** BlockList refuses a range whose end is before its start (ERR_INVALID_ARG_VALUE). */
function rangeInOrder(start: string, end: string, family: Family): boolean {
  try {
    new BlockList().addRange(start, end, family);
    return true;
  } catch {
    return false;
  }
}

/**
 * The action `list` takes for a client at `address`: that of the first range in the list's order that holds it, else
 * the default entry's. An address Standin cannot read (none, or a Unix socket's) gets the default entry's.
 */
export function ipAclAction(list: IpAccessControlList, address: string | undefined): IpAclAction {
  const fallback = list.entries.find((entry) => entry.startIPAddress === DEFAULT_ENTRY)?.action ?? 'Allow';
  const family = address === undefined ? undefined : familyOf(address);
  if (family === undefined) return fallback;
  for (const entry of list.entries) {
    if (entry.startIPAddress === DEFAULT_ENTRY || entry.endIPAddress === undefined) continue;
    const range = new BlockList();
    range.addRange(entry.startIPAddress, entry.endIPAddress, familyOf(entry.startIPAddress));
    if (range.check(address!, family)) return entry.action;
  }
  return fallback;
}
