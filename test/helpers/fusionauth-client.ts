import type { Errors } from '@fusionauth/typescript-client';
import type { Test } from 'tap';

/** What FusionAuth's client hands back: the status, the parsed JSON (2xx) or error JSON (else), if any. */
export interface Answer<T> {
  statusCode: number;
  response: T;
  exception?: Errors;
}

/** FusionAuth's client rejects non-2xx answers with the ClientResponse itself: settle either way. */
export async function settle<T>(call: Promise<{ statusCode: number; response: T }>): Promise<Answer<T>> {
  return call.then(
    (response) => response as Answer<T>,
    (response: unknown) => response as Answer<T>,
  );
}

/** A field error as FusionAuth reports it: 400 and `fieldErrors[field]` holding `[code]field`. */
export function assertFieldError(t: Test, answer: Answer<unknown>, field: string, code: string): void {
  t.equal(answer.statusCode, 400, `400 for ${field}`);
  const codes = (answer.exception?.fieldErrors?.[field] ?? []).map((error) => error.code);
  t.ok(codes.includes(`[${code}]${field}`), `fieldErrors[${field}] has [${code}]${field}`, { found: answer.exception });
}

/** A general error: `status` and `generalErrors` holding `code`. */
export function assertGeneralError(t: Test, answer: Answer<unknown>, code: string, status = 400): void {
  t.equal(answer.statusCode, status, `status ${status}`);
  t.same(
    answer.exception?.generalErrors?.map((error) => error.code),
    [code],
    `generalErrors is [${code}]`,
  );
}

/** 401 or 404 with FusionAuth's empty body: the client then has no exception to parse. */
export function assertEmpty(t: Test, answer: Answer<unknown>, status: number): void {
  t.equal(answer.statusCode, status, `status ${status}`);
  t.equal(answer.exception, undefined, 'empty body');
}

/** A raw call's answer is typed JSON (the client hides headers). */
export async function assertJsonError(t: Test, response: Response, status: number): Promise<void> {
  t.equal(response.status, status, `raw status ${status}`);
  t.match(response.headers.get('content-type'), /^application\/json/, 'Content-Type: application/json');
  t.type(await response.json(), 'object');
}
