import { ipAclAction } from '../model/ip-acl.js';
import type { Stores } from '../store/index.js';

/**
 * Whether the IP ACL `listId` (an API key's, a tenant's or an application's) blocks a client at `address` (Fastify's
 * `request.ip`: the socket's peer, or what a trusted proxy's `X-Forwarded-For` says, docs/hardening.md "Client
 * address"). No list, or a list no longer stored, blocks nothing.
 */
export function blockedByIpAcl(stores: Stores, listId: string | undefined, address: string | undefined): boolean {
  if (listId === undefined) return false;
  const list = stores.ipAcls.get(listId);
  return list !== undefined && ipAclAction(list, address) === 'Block';
}
