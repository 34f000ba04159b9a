import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A group of routes under a few path prefixes, built into a Fastify instance of its own on the first request that
 * needs it. Registering a route is Fastify's largest cost at start (about 130 µs each while the code is cold:
 * bench/README.md, "Twelfth round"), and Fastify adds no route to an instance that is ready, so a start that
 * registers only what its first answer needs keeps the others in instances built later.
 */
export interface RouteFamily {
  /** For the log, should building it fail. */
  name: string;
  /** Path prefixes without a trailing slash: the family serves each prefix and every path below it. */
  prefixes: string[];
  /** Paths the family serves alone, nothing below them. */
  paths?: string[] | undefined;
  /** Builds the family's instance, routes registered and ready to answer. */
  build(): Promise<FastifyInstance>;
}

// The id the root instance gave a request it hands to a family, so that both log it under one id.
const ROOT_REQUEST_ID = Symbol('standin.rootRequestId');

type HandedOver = IncomingMessage & { [ROOT_REQUEST_ID]?: string };

/** A family instance's `genReqId`: the root's id for a request handed over, a new one for its own `inject`. */
export function requestIdFromRoot(next: () => string): (raw: IncomingMessage) => string {
  return (raw) => (raw as HandedOver)[ROOT_REQUEST_ID] ?? next();
}

/** The families of one root instance: which one a path belongs to, and each built once. */
export class LazyRouteFamilies {
  private readonly built = new Map<RouteFamily, Promise<FastifyInstance>>();

  constructor(private readonly families: RouteFamily[]) {}

  /** The family that serves `url` (a request target, query included), if any. */
  familyOf(url: string): RouteFamily | undefined {
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    return this.families.find(
      (family) =>
        family.paths?.includes(path) === true ||
        family.prefixes.some((prefix) => path.startsWith(prefix) && (path.length === prefix.length || path[prefix.length] === '/')),
    );
  }

  /** The family's instance, built on the first call; calls made while it is built share the one build. */
  instance(family: RouteFamily): Promise<FastifyInstance> {
    let instance = this.built.get(family);
    if (!instance) {
      instance = family.build();
      // A failed build is tried again by the next request, not kept.
      instance.catch(() => this.built.delete(family));
      this.built.set(family, instance);
    }
    return instance;
  }

  /** Closes the families built so far. */
  async close(): Promise<void> {
    const instances = await Promise.allSettled([...this.built.values()]);
    this.built.clear();
    for (const settled of instances) if (settled.status === 'fulfilled') await settled.value.close();
  }

  /**
   * The root's first `onRequest` hook (after the seed gate): a request no root route matched, under a family's
   * prefix, goes whole to that family's instance, before any other hook has read it or its body. The root logs
   * it (its incoming line, and its completion when the family's answer ends); the family logs only errors.
   */
  addHandOver(root: FastifyInstance): void {
    root.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const family = request.is404 ? this.familyOf(request.url) : undefined;
      if (!family) {
        done();
        return;
      }
      reply.hijack();
      (request.raw as HandedOver)[ROOT_REQUEST_ID] = request.id;
      this.instance(family).then(
        (instance) => {
          instance.routing(request.raw, reply.raw);
        },
        (error: unknown) => {
          request.log.error({ err: error }, `building the ${family.name} routes failed`);
          reply.raw.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          reply.raw.end(JSON.stringify({ message: 'Standin could not build the routes for this path; see its log.', statusCode: 500 }));
        },
      );
    });
  }
}
