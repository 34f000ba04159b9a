import { randomUUID } from 'node:crypto';
import { canonicalId } from '../model/ids.js';

/**
 * Failures on demand (docs/test-control.md, "Faults"): the next N requests to a path, optionally only
 * those of one method and one client, fail with an OAuth error, fail with any HTTP status and body, or are
 * delayed first. A fault with none of `oauthError`, `status` only delays; with both a delay and a failure it
 * waits, then fails.
 */
export interface FaultInput {
  /** The request path without its query: exact, or a prefix when it ends in `*` (`/api/jwt/*`). */
  path: string;
  /** Only this method (any when absent). */
  method?: string;
  /**
   * Only requests of this client: `client_id` from the query, the form or JSON body, or HTTP Basic
   * (RFC 6749 §2.3.1), or `applicationId` from the query or body (FusionAuth's Login API).
   */
  clientId?: string;
  /** How many matching requests it applies to; 1 when absent. */
  times?: number;
  /** Wait this long (without blocking the event loop) before failing or carrying on. */
  delayMs?: number;
  /** An OAuth error body (RFC 6749 §5.2) `{error, error_description, error_reason}`. */
  oauthError?: string;
  /** FusionAuth's `error_reason` (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints), e.g. `invalid_user_credentials`. */
  errorReason?: string;
  errorDescription?: string;
  /** The status: with `oauthError` 400 by default (401 for invalid_client); alone, any HTTP status. */
  status?: number;
  /** With `status` and no `oauthError`: the body, sent as JSON unless a string. */
  body?: unknown;
}

export interface Fault extends FaultInput {
  id: string;
  /** Matching requests it still applies to. */
  remaining: number;
  /** Matching requests it has applied to so far. */
  hits: number;
}

/** What a request offers for matching: method, path, and the client id when one is known yet. */
export interface FaultProbe {
  method: string;
  path: string;
  clientId?: string;
}

export interface FaultList {
  add(input: FaultInput): Fault;
  list(): Fault[];
  /** Removes one fault, or every fault when no id is given; returns how many went. */
  clear(id?: string): number;
  /**
   * The fault that applies to this request, counted as used. `clientKnown` false means the client id may
   * still be in a body not read yet: faults bound to a client are then left for `take` after parsing.
   */
  take(probe: FaultProbe, clientKnown: boolean): Fault | undefined;
  /** True when a fault bound to a client matches the method and path: worth reading the body for. */
  waitsForClient(probe: FaultProbe): boolean;
  readonly size: number;
}

const MAX_TIMES = 1_000_000;
const MAX_DELAY_MS = 120_000;
const MAX_FAULTS = 1000;

export function createFaultList(): FaultList {
  const faults: Fault[] = [];
  const matches = (fault: Fault, probe: FaultProbe) =>
    (fault.method === undefined || fault.method === probe.method.toUpperCase()) &&
    (fault.path.endsWith('*') ? probe.path.startsWith(fault.path.slice(0, -1)) : probe.path === fault.path);

  return {
    add(input) {
      if (faults.length >= MAX_FAULTS) throw new RangeError(`at most ${MAX_FAULTS} faults at a time`);
      const fault: Fault = { id: randomUUID(), ...checkFault(input), remaining: input.times ?? 1, hits: 0 };
      faults.push(fault);
      return { ...fault };
    },
    list: () => faults.map((fault) => ({ ...fault })),
    clear(id) {
      if (id === undefined) return faults.splice(0).length;
      const index = faults.findIndex((fault) => fault.id === id);
      return index === -1 ? 0 : faults.splice(index, 1).length;
    },
    take(probe, clientKnown) {
      // The oldest matching fault first, as they were queued.
      const index = faults.findIndex(
        (fault) => matches(fault, probe) && (fault.clientId === undefined || (clientKnown && fault.clientId === canonicalId(probe.clientId ?? ''))),
      );
      if (index === -1) return undefined;
      const fault = faults[index]!;
      fault.remaining -= 1;
      fault.hits += 1;
      if (fault.remaining <= 0) faults.splice(index, 1);
      return { ...fault };
    },
    waitsForClient: (probe) => faults.some((fault) => fault.clientId !== undefined && matches(fault, probe)),
    get size() {
      return faults.length;
    },
  };
}

/** Checks a fault as given through HTTP or in code, and keeps only its known members. */
export function checkFault(input: unknown): FaultInput {
  if (typeof input !== 'object' || input === null) throw new TypeError('a fault is an object');
  const { path, method, clientId, times, delayMs, oauthError, errorReason, errorDescription, status, body } = input as FaultInput;
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > 2048) throw new TypeError('path: a request path starting with /');
  // The control API itself is never faulted: a test could lock itself out of clearing the fault.
  if (path.startsWith('/_standin')) throw new TypeError('path: the control API under /_standin/ cannot be faulted');
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]{1,16}$/.test(method)))
    throw new TypeError('method: an HTTP method such as POST');
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === '')) throw new TypeError('clientId: a client id');
  if (times !== undefined && !(Number.isInteger(times) && times >= 1 && times <= MAX_TIMES))
    throw new RangeError(`times: a whole number from 1 to ${MAX_TIMES}`);
  if (delayMs !== undefined && !(Number.isInteger(delayMs) && delayMs >= 0 && delayMs <= MAX_DELAY_MS))
    throw new RangeError(`delayMs: a whole number from 0 to ${MAX_DELAY_MS}`);
  if (oauthError !== undefined && (typeof oauthError !== 'string' || !/^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/.test(oauthError))) {
    // RFC 6749 §5.2: the error code's characters.
    throw new TypeError('oauthError: an OAuth error code such as invalid_grant');
  }
  for (const [name, value] of [
    ['errorReason', errorReason],
    ['errorDescription', errorDescription],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') throw new TypeError(`${name}: a string`);
    if (value !== undefined && oauthError === undefined) throw new TypeError(`${name}: only with oauthError`);
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599))
    throw new RangeError('status: an HTTP status from 200 to 599');
  if (body !== undefined && (status === undefined || oauthError !== undefined)) throw new TypeError('body: only with status and without oauthError');
  if (delayMs === undefined && oauthError === undefined && status === undefined) throw new TypeError('a fault needs oauthError, status or delayMs');
  const fault: FaultInput = { path };
  if (method !== undefined) fault.method = method.toUpperCase();
  // Client ids in any case name one client (docs/identifiers-and-unmodelled.md).
  if (clientId !== undefined) fault.clientId = canonicalId(clientId);
  if (times !== undefined) fault.times = times;
  if (delayMs !== undefined) fault.delayMs = delayMs;
  if (oauthError !== undefined) fault.oauthError = oauthError;
  if (errorReason !== undefined) fault.errorReason = errorReason;
  if (errorDescription !== undefined) fault.errorDescription = errorDescription;
  if (status !== undefined) fault.status = status;
  if (body !== undefined) fault.body = body;
  return fault;
}
