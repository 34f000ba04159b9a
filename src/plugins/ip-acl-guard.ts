import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { blockedByIpAcl } from '../manage/ip-acl-check.js';
import { namedList } from '../manage/ip-acls.js';
import { isObject, isUuid } from '../model/json.js';
import type { Stores } from '../store/index.js';

/**
 * The hosted pages an IP ACL of a tenant or an application guards (FusionAuth's IP ACL API: "endpoints that begin
 * with `/oauth2/`, `/account/`, `/email/`, `/password/`, `/registration/` and any other user accessible themed pages";
 * Standin serves no `/account/` pages). The API and the hosted backend (`/app/*`) are not guarded: FusionAuth's
 * lists on tenants and applications leave its API alone.
 */
const GUARDED_PREFIXES = ['/oauth2/', '/email/', '/password/', '/registration/'];

/**
 * Answers FusionAuth's "unauthorized" page, 401, to a client whose address the list of the page's application (else
 * of its tenant) blocks: the application's takes precedence (https://fusionauth.io/docs/apis/ip-acl). Run as a
 * `preHandler`, once a form post's `client_id` is read. docs/ip-acls.md.
 */
export function addIpAclGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!GUARDED_PREFIXES.some((prefix) => request.url.startsWith(prefix))) return;
    const stores = request.server.standin.stores;
    // Most Standins store no list: then every token request would look up its tenant's for nothing.
    if (!stores.ipAcls.any()) return;
    if (!blockedByIpAcl(stores, pageList(stores, request), request.ip)) return;
    await blockedPage(request, reply);
    return reply;
  });
}

/** The list that guards the page `request` asks for: its application's, else its tenant's, if either names one. */
function pageList(stores: Stores, request: FastifyRequest): string | undefined {
  const applicationId = named(request, 'client_id') ?? named(request, 'applicationId');
  const application = applicationId === undefined ? undefined : stores.applications.get(applicationId);
  const fromApplication = application === undefined ? undefined : namedList(application);
  if (fromApplication !== undefined) return fromApplication;
  const tenantId = application?.tenantId ?? named(request, 'tenantId') ?? soleTenant(stores);
  const tenant = tenantId === undefined ? undefined : stores.tenants.get(tenantId);
  return tenant === undefined ? undefined : namedList(tenant);
}

/** A UUID the query or the form body names as `member`, in lower case. */
function named(request: FastifyRequest, member: string): string | undefined {
  for (const source of [request.query, request.body]) {
    const value = isObject(source) ? source[member] : undefined;
    if (isUuid(value)) return value.toLowerCase();
  }
  return undefined;
}

/** With one tenant, a page that names none is that tenant's, as FusionAuth resolves it. */
function soleTenant(stores: Stores): string | undefined {
  if (stores.tenants.count() !== 1) return undefined;
  return stores.tenants.list()[0]?.id;
}

function blockedPage(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .code(401)
    .header('cache-control', 'no-store')
    .view('notice', {
      title: 'Access denied',
      paragraphs: ['Access to this page is not allowed from your network address.', `IP address: ${request.ip}`],
    });
}
