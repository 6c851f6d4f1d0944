/**
 * Vite config of the agent console (issue #5). `npm run build:ui` writes
 * ui/dist (served by gateway/routes/pages.ts); `npm run dev:ui` serves the
 * sources with `/api` and `/socket` proxied to a local gateway on :4000.
 */
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const gateway = process.env.NETIA_GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The manifest lets the bundle-size test find the entry chunk and its static imports.
    manifest: true,
    assetsDir: 'assets',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
      '/socket': { target: gateway, ws: true },
    },
  },
});
