import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * How deeply a JSON request body may nest objects and arrays. FusionAuth's objects nest a few levels, and
 * `user.data` as deep as an application likes; 100 leaves room for both while keeping every recursive walk
 * over a body (merge patch, defaults, serialising, SQLite's JSON functions) far from its stack limit
 * (docs/hardening.md).
 */
export const MAX_JSON_DEPTH = 100;

type Done = (error: Error | null, body?: unknown) => void;

/**
 * Whether `text` opens more than `max` nested objects or arrays. One pass over the characters, brackets
 * inside strings skipped, so the check cannot itself overflow; run before JSON.parse builds anything.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index++; // a backslash escapes the next character, a quote included
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > max) return true;
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Fastify's own JSON parser (prototype poisoning refused) behind the depth bound: too deep is a 400. */
export function boundedJsonParser(app: FastifyInstance): (request: FastifyRequest, body: string, done: Done) => void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) {
      done(Object.assign(new Error(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`), { statusCode: 400, code: 'STANDIN_JSON_TOO_DEEP' }));
      return;
    }
    void parseJson(request, body, done);
  };
}
