/** What the hosted backend carries through the OAuth `state` to its callback. */
export interface LoginState {
  clientId: string;
  redirectUri: string;
  state?: string;
}

/**
 * The OAuth `state` of a hosted-backend login: the caller's redirect_uri and state, encoded. It travels
 * through the browser, so the callback validates the redirect_uri again before using it.
 */
export function wrapState(value: LoginState): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function unwrapState(value: string | undefined): LoginState | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value ?? '', 'base64url').toString('utf8')) as Partial<LoginState>;
    if (typeof parsed.clientId !== 'string' || typeof parsed.redirectUri !== 'string') return undefined;
    if (parsed.state !== undefined && typeof parsed.state !== 'string') return undefined;
    return { clientId: parsed.clientId, redirectUri: parsed.redirectUri, ...(parsed.state === undefined ? {} : { state: parsed.state }) };
  } catch {
    return undefined;
  }
}
