// Entry of the image analyser's worker threads (platform/files/analyser.ts). A worker thread does not
// inherit a TypeScript loader registered inside its parent (vitest, `bin/wenming.mjs`), so this plain
// module loads the TypeScript worker through tsx itself, however the server was started.
import { tsImport } from 'tsx/esm/api';

await tsImport('./analyser-worker.ts', import.meta.url);
