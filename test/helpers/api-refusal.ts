import { ApiError } from '../../src/errors.js';

/** What `refuse` throws as FusionAuth's answer (its status and errors), or undefined when it lets the request by. */
export function refusal(refuse: () => void) {
  try {
    refuse();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.statusCode, errors: error.errors };
    throw error;
  }
  return undefined;
}
