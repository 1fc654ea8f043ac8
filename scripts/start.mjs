// `npm start`: build the web app if its sources changed, then run the server
// (which migrates, seeds the demo into an empty database and serves on PORT, default 3000).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from './web-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await ensureWebBuilt({ log: (m) => console.log(`[start] ${m}`) });

const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/server/src/main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
