import type { Errors } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import type { ApiResponse } from './api.js';

/** What FusionAuth's client hands back: the status, the parsed JSON (2xx) or error JSON (else), if any. */
export interface Answer<T> {
  statusCode: number;
  response: T;
  exception?: Errors;
}

/**
 * An error answer seen either through `app.inject` (`apiClient`, which also shows the headers and raw body)
 * or through FusionAuth's TypeScript client (which shows only the status and the parsed error JSON).
 */
type ErrorAnswer = ApiResponse | Answer<unknown>;

interface Seen {
  status: number;
  errors: Partial<Errors> | undefined;
  /** Only where the answer came through `app.inject`. */
  raw?: ApiResponse['raw'];
}

function seen(answer: ErrorAnswer): Seen {
  if ('raw' in answer) return { status: answer.status, errors: answer.body as Partial<Errors> | undefined, raw: answer.raw };
  return { status: answer.statusCode, errors: answer.exception };
}

/** A FusionAuth field error: 400, JSON, and `fieldErrors[field]` holds `[code]field`, each with a message. */
export function assertFieldError(t: Test, answer: ErrorAnswer, field: string, code: string): void {
  const { status, errors, raw } = seen(answer);
  t.equal(status, 400, `status 400 for ${field}`);
  if (raw) t.match(raw.headers['content-type'], /^application\/json/);
  const listed = errors?.fieldErrors?.[field] ?? [];
  t.ok(
    listed.some((error) => error.code === `[${code}]${field}`),
    `fieldErrors[${field}] has [${code}]${field}`,
    { found: errors },
  );
  if (raw) for (const error of listed) t.type(error.message, 'string');
}

/** A FusionAuth general error: `status`, JSON, and `generalErrors` is exactly `[code]`. */
export function assertGeneralError(t: Test, answer: ErrorAnswer, code: string, status = 400): void {
  const seenAnswer = seen(answer);
  t.equal(seenAnswer.status, status, `status ${status}`);
  if (seenAnswer.raw) {
    t.match(seenAnswer.raw.headers['content-type'], /^application\/json/);
    t.same(seenAnswer.errors?.fieldErrors, {}, 'no field errors');
  }
  t.same(
    seenAnswer.errors?.generalErrors?.map((error) => error.code),
    [code],
    `generalErrors is [${code}]`,
  );
}

/** An empty-bodied answer, as FusionAuth gives for 401, 404 and DELETE (the client then has nothing to parse). */
export function assertEmpty(t: Test, answer: ErrorAnswer, status: number): void {
  const { status: actual, raw } = seen(answer);
  t.equal(actual, status, `status ${status}`);
  if (raw) t.equal(raw.body, '', 'empty body');
  else t.equal((answer as Answer<unknown>).exception, undefined, 'empty body');
}
