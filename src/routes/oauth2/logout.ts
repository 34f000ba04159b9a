import type { FastifyInstance } from 'fastify';

export async function logoutRoutes(_app: FastifyInstance): Promise<void> {}
