import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { ISOLATION_HEADERS } from './isolation-headers.js';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Builds the page with relative URLs (it works from any folder). Inside the workspace the aigc
 * packages resolve to their sources, so the page always shows the current code. The dev and
 * preview servers send COOP/COEP (see isolation-headers.ts) so the page is cross-origin isolated.
 */
export default defineConfig({
  base: './',
  resolve: {
    alias: {
      '@aigc/core': r('../../packages/core/src/index.ts'),
      '@aigc/backend-webgpu': r('../../packages/backend-webgpu/src/index.ts'),
    },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS, fs: { allow: [r('../..')] } },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
});
