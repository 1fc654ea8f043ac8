// The baseline: a bare Fastify hello-world, started by bench/run.ts in its own process so the load
// generator and the server never share an event loop. Listens on 127.0.0.1:$PORT only.
// With BENCH_BODY_FILE it also answers GET /body with that file's bytes as JSON: what any Fastify
// server pays to send a reply of that size, with no work behind it.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const bodyFile = process.env.BENCH_BODY_FILE;
if (bodyFile) {
  const body = readFileSync(bodyFile);
  app.get('/body', async (_req, reply) => reply.type('application/json; charset=utf-8').send(body));
}

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

await app.listen({ port, host: '127.0.0.1' });
