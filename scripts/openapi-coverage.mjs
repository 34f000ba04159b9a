#!/usr/bin/env node
// Counts which operations of FusionAuth's OpenAPI description Standin serves. The description is not part of
// this repository: pass the path of FusionAuth's `openapi.yaml` (repository FusionAuth/fusionauth-openapi).
//
//   npm run build && node scripts/openapi-coverage.mjs path/to/openapi.yaml [--list]
//
// Each operation is sent once to a fresh in-memory Standin with a valid API key, path parameters filled with
// a random UUID (a number for an id whose object the description types with an integer id: the audit log's,
// the event log's) and `{}` as the body of POST/PUT/PATCH. An operation is "served" unless Standin answers it
// with its `[NotModelled]` 404, a 404 for an unknown route, or a 400 that refuses a path segment as an id (the
// request reached another route); a 400 for the empty body or an empty 404 for an unknown id count as served.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildApp } from '../dist/index.js';

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/openapi-coverage.mjs path/to/openapi.yaml [--list]');
  process.exit(2);
}
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const KEY = `coverage-${randomUUID()}`;
const description = parse(readFileSync(file, 'utf8'));
const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', kickstart: { apiKeys: [{ key: KEY }], requests: [] } });

const rows = [];
for (const [path, item] of Object.entries(description.paths)) {
  for (const method of METHODS.filter((name) => item[name])) {
    const url = path.replace(/\{([^}]+)\}/g, (_, name) => (numericId(name) ? '987654321' : randomUUID()));
    const answer = await app.inject({
      method: method.toUpperCase(),
      url,
      headers: { authorization: KEY, 'content-type': 'application/json' },
      ...(['post', 'put', 'patch'].includes(method) ? { payload: '{}' } : {}),
    });
    rows.push({ method: method.toUpperCase(), path, operationId: item[method].operationId, served: !notServed(answer) });
  }
}
await app.close();

// The description types every path parameter as a string; `auditLogId` names an AuditLog, whose id is an integer.
function numericId(name) {
  const object = description.components?.schemas?.[name.replace(/Id$/, '').replace(/^./, (first) => first.toUpperCase())];
  return object?.properties?.id?.type === 'integer';
}

function notServed(answer) {
  // A path segment refused by a modelled route's pattern means the route took a sub-resource's name for an id.
  if (answer.statusCode === 400 && /params\/\w+ must match pattern/.test(answer.body)) return true;
  if (answer.statusCode !== 404) return false;
  return answer.body.includes('[NotModelled]') || /does not model|No such endpoint/.test(answer.body) || /Route \w+:.* not found/.test(answer.body);
}

const served = rows.filter((row) => row.served);
if (flag === '--list')
  for (const row of rows) console.log(`${row.served ? 'served' : '      -'}  ${row.method.padEnd(6)} ${row.path}  (${row.operationId})`);
console.log(`${served.length} of ${rows.length} operations served (${Object.keys(description.paths).length} paths)`);
