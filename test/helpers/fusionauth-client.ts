import type { Test } from 'tap';
import type { Answer } from './assert-errors.js';

/** FusionAuth's client rejects non-2xx answers with the ClientResponse itself: settle either way. */
export async function settle<T>(call: Promise<{ statusCode: number; response: T }>): Promise<Answer<T>> {
  return call.then(
    (response) => response as Answer<T>,
    (response: unknown) => response as Answer<T>,
  );
}

/** A raw call's answer is typed JSON (the client hides headers). */
export async function assertJsonError(t: Test, response: Response, status: number): Promise<void> {
  t.equal(response.status, status, `raw status ${status}`);
  t.match(response.headers.get('content-type'), /^application\/json/, 'Content-Type: application/json');
  t.type(await response.json(), 'object');
}
