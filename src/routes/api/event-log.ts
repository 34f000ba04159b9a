import type { FastifyInstance } from 'fastify';
import { searchEventLogs, type EventLogSearch } from '../../manage/event-log.js';
import { isObject } from '../../model/json.js';
import { foundByNumericId, numericIdParams } from './schemas.js';

const searchQuery = {
  type: 'object',
  properties: {
    message: { type: 'string', maxLength: 1024 },
    type: { type: 'string', maxLength: 32 },
    start: { type: 'integer', minimum: 0 },
    end: { type: 'integer', minimum: 0 },
    orderBy: { type: 'string', maxLength: 64 },
    startRow: { type: 'integer', minimum: 0, default: 0 },
    numberOfResults: { type: 'integer', minimum: 1, maximum: 10_000, default: 25 },
  },
} as const;

/** FusionAuth's Event Log API (https://fusionauth.io/docs/apis/event-logs): retrieve one, search by GET or POST. */
export async function eventLogRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: EventLogSearch }>('/system/event-log/search', { schema: { querystring: searchQuery } }, async (request) =>
    searchEventLogs(app.standin.stores, request.query),
  );
  app.post('/system/event-log/search', async (request) =>
    searchEventLogs(app.standin.stores, searchOf(isObject(request.body) && isObject(request.body.search) ? request.body.search : {})),
  );
  app.get<{ Params: { eventLogId: string } }>(
    '/system/event-log/:eventLogId',
    { schema: { params: numericIdParams('eventLogId') } },
    async (request) => ({
      eventLog: foundByNumericId(request.params.eventLogId, (id) => app.standin.stores.eventLogs.get(id)),
    }),
  );
}

/** The POST body's `search`, with FusionAuth's paging defaults for what is missing or not a number. */
function searchOf(search: Record<string, unknown>): EventLogSearch {
  const text = (name: string) => (typeof search[name] === 'string' ? { [name]: search[name] } : {});
  const instant = (name: string) => (Number.isSafeInteger(search[name]) ? { [name]: search[name] as number } : {});
  const startRow = Number.isSafeInteger(search.startRow) && (search.startRow as number) >= 0 ? (search.startRow as number) : 0;
  const count =
    Number.isSafeInteger(search.numberOfResults) && (search.numberOfResults as number) > 0 ? Math.min(search.numberOfResults as number, 10_000) : 25;
  return { ...text('message'), ...text('type'), ...text('orderBy'), ...instant('start'), ...instant('end'), startRow, numberOfResults: count };
}
