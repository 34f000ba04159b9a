import type { FastifyInstance } from 'fastify';

export async function tokenRoutes(_app: FastifyInstance): Promise<void> {}
