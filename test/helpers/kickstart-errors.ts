import type { Test } from 'tap';
import { KickstartError } from '../../src/kickstart/types.js';

/** A version 4 UUID, as `#{UUID()}` makes them. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The message of the KickstartError `fn` throws; fails the test when it throws nothing or something else. */
export function kickstartError(t: Test, fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    t.type(error, KickstartError);
    return (error as Error).message;
  }
  t.fail('expected a KickstartError');
  return '';
}
