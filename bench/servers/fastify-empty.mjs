// The machine's limit for an HTTP framework: Fastify 5 (Standin's own) answering an empty route, no logger.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({}));
app.post('/', async () => ({}));
// No top-level await: bench/lib/bundled-fastify.mjs bundles this file into CommonJS as well.
void app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
