// The baseline: a bare Fastify hello-world, started by bench/run.ts in its own process so the load
// generator and the server never share an event loop. Listens on 127.0.0.1:$PORT only.
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

await app.listen({ port, host: '127.0.0.1' });
