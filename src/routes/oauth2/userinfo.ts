import type { FastifyInstance } from 'fastify';

export async function userinfoRoutes(_app: FastifyInstance): Promise<void> {}
