import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/**
 * Dev/preview only: serve the H5 entry for `/h5` and every client-side route under it
 * (production serving is the server's job: `/h5/*` → dist/web/h5.html, everything else → index.html).
 */
function h5Fallback(): Plugin {
  const rewrite = (url: string | undefined): string | undefined => {
    if (!url) return url;
    const pathname = url.split('?')[0];
    if (pathname === '/h5' || (pathname.startsWith('/h5/') && !path.extname(pathname))) {
      return `/h5.html${url.slice(pathname.length)}`;
    }
    return url;
  };
  return {
    name: 'wenming-h5-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        req.url = rewrite(req.url);
        next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, _res, next) => {
        req.url = rewrite(req.url);
        next();
      });
    },
  };
}

type ModuleInfoGetter = (
  id: string,
) => { importers: readonly string[]; dynamicImporters: readonly string[] } | null;

const ADMIN_ENTRY = path.join(here, 'src/admin/main.tsx');
const H5_ENTRY = path.join(here, 'src/h5/main.tsx');
const reachCache = new Map<string, { admin: boolean; h5: boolean }>();

/** Which entries (admin console, H5) can reach a module: walk up its importers. */
function reachedFrom(id: string, getModuleInfo: ModuleInfoGetter): { admin: boolean; h5: boolean } {
  const cached = reachCache.get(id);
  if (cached) return cached;
  const out = { admin: false, h5: false };
  const seen = new Set<string>([id]);
  const queue = [id];
  while (queue.length && !(out.admin && out.h5)) {
    const cur = queue.pop() as string;
    if (cur === ADMIN_ENTRY) out.admin = true;
    if (cur === H5_ENTRY) out.h5 = true;
    const info = getModuleInfo(cur);
    if (!info) continue;
    for (const next of [...info.importers, ...info.dynamicImporters]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  reachCache.set(id, out);
  return out;
}

function packageOf(id: string): string | null {
  const m = id.split('node_modules/').pop();
  if (!m || m === id) return null;
  const parts = m.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

const REACT = ['react', 'react-dom', 'scheduler', 'react-router', 'react-router-dom', '@remix-run/router'];
const I18N = ['i18next', 'react-i18next', 'dayjs', 'html-parse-stringify', 'void-elements'];

/**
 * Vendor chunks. The admin console must not load antd-mobile (and its 150 kB of CSS) and the H5 must not load
 * antd/pro-components, so libraries are grouped by which entry reaches them: both → `vendor`, only the H5 →
 * `antd-mobile`, only the admin → `antd` / `antd-rc` / `pro-components` / `admin-vendor`. Our own shared code goes to `app-shared`.
 */
function manualChunks(
  id: string,
  { getModuleInfo }: { getModuleInfo: ModuleInfoGetter },
): string | undefined {
  const pkg = packageOf(id);
  if (!pkg) {
    if (/\/apps\/web\/src\/(shared|locales)\/|\/packages\/contracts\//.test(id)) return 'app-shared';
    return undefined;
  }
  // ECharts only for the township map, which imports it on demand: its own chunk, never preloaded.
  if (pkg === 'echarts' || pkg === 'zrender') return 'echarts';
  if (REACT.includes(pkg)) return 'react';
  if (I18N.includes(pkg)) return 'i18n';
  const { admin, h5 } = reachedFrom(id, getModuleInfo);
  if (admin && h5) return 'vendor';
  if (h5) return 'antd-mobile';
  if (pkg.startsWith('@ant-design/pro-')) return 'pro-components';
  if (pkg === 'antd') return 'antd';
  if (pkg.startsWith('rc-') || pkg.startsWith('@rc-component/')) return 'antd-rc';
  return 'admin-vendor';
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), h5Fallback()],
  resolve: {
    alias: { '@contracts': path.resolve(root, 'packages/contracts/src') },
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: process.env.WENMING_API ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: path.resolve(root, 'dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    // antd alone is ~720 kB minified (~200 kB gzip); anything bigger than that deserves a look
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: {
        main: path.resolve(here, 'index.html'),
        h5: path.resolve(here, 'h5.html'),
      },
      output: { manualChunks },
    },
  },
});
