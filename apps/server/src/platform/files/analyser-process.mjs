// Entry of the image analyser's child processes (platform/files/analyser.ts). The child starts without
// the parent's loader flags (vitest, `bin/wenming.mjs`), so this plain module loads the TypeScript
// analyser through tsx itself, however the server was started.
import { tsImport } from 'tsx/esm/api';

await tsImport('./analyser-worker.ts', import.meta.url);
