// The floor under the intake target (docs/performance.md §6): what a bare Fastify server on this
// machine pays to receive the intake's multipart body (one 1 MB photo) and keep the photo, with none of
// Wenming's work (no session, no database, no analysis). Each variant runs in its own server process:
//
//   receive   read the multipart body and split it (platform/http/multipart.ts, as the intake route does)
//   hash      + SHA-256 on the thread pool (WebCrypto, as the evidence store does)
//   write     + write the blob to a new file (no fsync)
//   durable   + the evidence store's put: temp file, fsync, rename, fsync of the directory
//
//   node --import tsx bench/cases-floor.ts   (BENCH_DURATION, BENCH_CASES_INTAKE_CONNECTIONS as for cases.ts)
import { webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import sharp from 'sharp';
import { LocalBlobStore } from '../apps/server/src/platform/files/store.ts';
import { multipartForms, readForm } from '../apps/server/src/platform/http/multipart.ts';
import {
  cleanupAll,
  freePort,
  HOST,
  installCleanup,
  makeTempDir,
  removeTempDir,
  spawnTsx,
  waitFor200,
} from './harness.ts';

const VARIANTS = ['receive', 'hash', 'write', 'durable'] as const;
type Variant = (typeof VARIANTS)[number];

async function serve(variant: Variant, port: number, dir: string): Promise<void> {
  const app = Fastify({ logger: false });
  await multipartForms(app);
  const store = new LocalBlobStore(dir);
  let n = 0;
  app.get('/', async () => ({ ok: true }));
  app.post('/floor', { config: { form: { files: 9, fileBytes: 10 * 1024 * 1024 } } }, async (req, reply) => {
    for (const { bytes } of readForm(req).files) {
      if (variant === 'receive') continue;
      const sha = Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
      if (variant === 'write') await writeFile(path.join(dir, `${process.pid}-${n++}`), bytes);
      if (variant === 'durable') await store.put(bytes, sha);
    }
    return reply.code(201).send({ ok: true });
  });
  await app.listen({ port, host: HOST });
}

async function photo(): Promise<Buffer> {
  return sharp({
    create: {
      width: 3264,
      height: 2448,
      channels: 3,
      background: '#557799',
      noise: { type: 'gaussian', mean: 120, sigma: 40 },
    },
  })
    .blur(0.6)
    .jpeg({ quality: 40 })
    .toBuffer();
}

function body(jpeg: Buffer, n: number, boundary: string): Buffer {
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n基准测试\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="IMG_${n}.jpg"\r\n` +
    'Content-Type: image/jpeg\r\n\r\n';
  // A distinct comment segment per request: every blob is new to the store.
  const comment = Buffer.from(`floor ${n}`.padEnd(32, ' '));
  const segment = Buffer.concat([Buffer.from([0xff, 0xfe, 0, comment.length + 2]), comment]);
  return Buffer.concat([
    Buffer.from(head),
    jpeg.subarray(0, 2),
    segment,
    jpeg.subarray(2),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

async function main(): Promise<void> {
  installCleanup(600);
  const seconds = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CASES_INTAKE_CONNECTIONS ?? 8);
  const jpeg = await photo();
  const boundary = '----wenmingfloor';
  let next = 0;
  const rows: string[] = [];
  for (const variant of VARIANTS) {
    const dir = makeTempDir(`wenming-floor-${variant}-`);
    const port = await freePort();
    const child = spawnTsx('bench/cases-floor.ts', {
      ...process.env,
      BENCH_FLOOR_SERVE: variant,
      PORT: String(port),
      BENCH_FLOOR_DIR: dir,
    });
    try {
      await waitFor200(child, port, '/', performance.now());
      const r = await autocannon({
        url: `http://${HOST}:${port}`,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/floor',
            setupRequest: (req) => ({
              ...req,
              headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
              body: body(jpeg, next++, boundary),
            }),
          },
        ],
      });
      const line = `| ${variant} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p97_5} | ${r.non2xx} |`;
      console.error(`[bench:cases-floor] ${line}`);
      rows.push(line);
    } finally {
      await child.stop(10_000);
      removeTempDir(dir);
    }
  }
  const out = [
    `1 MB photo ${(jpeg.length / 2 ** 20).toFixed(2)} MiB, ${connections} connections, ${seconds} s`,
    '',
    '| variant | req/s | p50 ms | p97.5 ms | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
  console.log(out);
  await cleanupAll();
}

const serving = process.env.BENCH_FLOOR_SERVE as Variant | undefined;
if (serving) await serve(serving, Number(process.env.PORT), process.env.BENCH_FLOOR_DIR as string);
else {
  await main();
  // Done: exit like the other benchmarks (a handle left open would otherwise keep the process up).
  process.exit(0);
}
