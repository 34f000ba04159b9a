import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { isObject, type JsonObject } from '../../model/json.js';
import type { EventLogSearch, EventResult } from '../../store/webhook-event-logs.js';
import { uuidParams } from './schemas.js';
import { requireInstanceKey } from './webhook.js';

const RESULTS: readonly string[] = ['Running', 'Succeeded', 'Failed'];
const MINUTE = 60_000;

/**
 * FusionAuth's Webhook Event Log API (https://fusionauth.io/docs/apis/webhook-event-logs): retrieve an event log or
 * one attempt, search by time, type, result and the event's text. Without `start` and `end` the search covers
 * the last hour, rounded out to whole minutes, as FusionAuth's does.
 */
export async function webhookEventLogRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requireInstanceKey);

  const criteriaOf = (search: JsonObject): EventLogSearch => {
    const number = (value: unknown) =>
      typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
    const now = app.standin.config.now();
    const start = number(search.start) ?? Math.floor((now - 60 * MINUTE) / MINUTE) * MINUTE;
    const end = number(search.end) ?? Math.ceil(now / MINUTE) * MINUTE;
    const startRow = number(search.startRow);
    const numberOfResults = number(search.numberOfResults);
    if (search.eventResult !== undefined && !RESULTS.includes(search.eventResult as string)) {
      throw ApiError.general('[invalid]eventResult', `The [eventResult] must be one of ${RESULTS.join(', ')}.`);
    }
    const orderBy = typeof search.orderBy === 'string' ? search.orderBy.trim().toLowerCase() : '';
    return {
      start,
      end,
      startRow: startRow !== undefined && Number.isInteger(startRow) && startRow >= 0 ? startRow : 0,
      numberOfResults:
        numberOfResults !== undefined && Number.isInteger(numberOfResults) && numberOfResults > 0 ? Math.min(numberOfResults, 10_000) : 25,
      ...(typeof search.eventType === 'string' && search.eventType !== '' ? { eventType: search.eventType } : {}),
      ...(typeof search.eventResult === 'string' ? { eventResult: search.eventResult as EventResult } : {}),
      ...(typeof search.event === 'string' ? { event: search.event.slice(0, 1024) } : {}),
      ...(orderBy.endsWith(' asc') ? { ascending: true } : {}),
    };
  };
  const answer = (search: EventLogSearch) => {
    const { total, logs } = app.standin.stores.webhookEventLogs.search(search);
    return { total, webhookEventLogs: logs };
  };

  app.post('/system/webhook-event-log/search', async (request) => {
    const body = isObject(request.body) ? request.body : {};
    return answer(criteriaOf(isObject(body.search) ? body.search : {}));
  });
  app.get('/system/webhook-event-log/search', async (request) => answer(criteriaOf(request.query as JsonObject)));
  app.get<{ Params: { webhookEventLogId: string } }>(
    '/system/webhook-event-log/:webhookEventLogId',
    { schema: { params: uuidParams('webhookEventLogId') } },
    async (request) => {
      const log = app.standin.stores.webhookEventLogs.get(request.params.webhookEventLogId);
      if (!log) throw ApiError.notFound();
      return { webhookEventLog: log };
    },
  );
  app.get<{ Params: { webhookAttemptLogId: string } }>(
    '/system/webhook-attempt-log/:webhookAttemptLogId',
    { schema: { params: uuidParams('webhookAttemptLogId') } },
    async (request) => {
      const attemptId = request.params.webhookAttemptLogId.toLowerCase();
      const attempt = app.standin.stores.webhookEventLogs.byAttemptId(attemptId)?.attempts.find((entry) => entry.id === attemptId);
      if (!attempt) throw ApiError.notFound();
      return { webhookAttemptLog: attempt };
    },
  );
}
