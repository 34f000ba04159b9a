/** FusionAuth's kickstart.json (https://fusionauth.io/docs/get-started/download-and-install/development/kickstart), as a file holds it before substitution. */
export interface Kickstart {
  variables?: Record<string, unknown>;
  apiKeys?: KickstartApiKey[];
  requests?: (KickstartRequest | string)[];
  licenseId?: string;
  license?: string;
  settings?: Record<string, unknown>;
}

export interface KickstartApiKey {
  key: string;
  description?: string;
  tenantId?: string;
  permissions?: { endpoints: Record<string, string[]> };
  /** Milliseconds since the epoch. */
  expirationInstant?: number;
  /** May call the API Key API (FusionAuth Kickstart docs, "Scoping an API Key"). */
  keyManager?: boolean;
  /** The IP ACL the key is limited to, which a request creates (docs/ip-acls.md). */
  ipAccessControlListId?: string;
  [field: string]: unknown;
}

export interface KickstartRequest {
  method?: 'POST' | 'PUT' | 'PATCH';
  url: string;
  tenantId?: string;
  contentType?: string;
  body?: unknown;
}

/** A kickstart with every `#{…}`, `@{…}` and `&{…}` replaced, ready to replay. */
export interface ResolvedKickstart {
  variables: Record<string, unknown>;
  apiKeys: KickstartApiKey[];
  requests: KickstartRequest[];
}

/** A kickstart that cannot run; start-up stops with its message. */
export class KickstartError extends Error {
  override name = 'KickstartError';
}
