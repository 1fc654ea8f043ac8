#!/usr/bin/env node
// The `wenming` command: runs the TypeScript CLI through tsx (no separate build step).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../apps/server/src/cli.ts');
process.exit(await runCli(process.argv.slice(2)));
