import type { MintedAccessToken } from './mint-tokens.js';

/** The token endpoint's 200 body, members in FusionAuth's order (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints). */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  id_token?: string;
  refresh_token?: string;
  refresh_token_id?: string;
  scope?: string;
  token_type: 'Bearer';
  /** Absent for client_credentials, which speaks for no user. */
  userId?: string;
}

export interface Issued {
  access: MintedAccessToken;
  idToken?: string | undefined;
  refreshToken?: { value: string; id: string } | undefined;
  scope: string;
  userId: string;
}

export function tokenResponse({ access, idToken, refreshToken, scope, userId }: Issued): TokenResponse {
  return {
    access_token: access.token,
    expires_in: access.expiresIn,
    ...(idToken === undefined ? {} : { id_token: idToken }),
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken.value, refresh_token_id: refreshToken.id }),
    // FusionAuth leaves `scope` out when no scope was granted.
    ...(scope === '' ? {} : { scope }),
    token_type: 'Bearer',
    userId,
  };
}
