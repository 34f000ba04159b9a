import type { FastifyInstance } from 'fastify';

export async function authorizeRoutes(_app: FastifyInstance): Promise<void> {}
