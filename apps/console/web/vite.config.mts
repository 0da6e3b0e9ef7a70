import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const workspace = resolve(import.meta.dirname, '../../..');

// The operator console: a static single-page app, served with the API proxy by apps/console/src/main.ts.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  resolve: { alias: { '@tracklane/api-client': resolve(workspace, 'libs/api-client/src/index.ts') } },
  build: {
    outDir: resolve(workspace, 'dist/apps/console/web'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
});
