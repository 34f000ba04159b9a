import type { Test } from 'tap';
import { KickstartError } from '../../src/kickstart/types.js';

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
