// The floor for a cold start: a bare Node `http` server answering 200 on any path, nothing imported
// beyond node:http. Standin's start-up is reported as a multiple of this process's.
import { createServer } from 'node:http';

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"status":"ok"}');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
