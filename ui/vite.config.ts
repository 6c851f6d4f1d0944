/**
 * Vite config of the agent console (issue #5). `npm run build:ui` writes
 * ui/dist (served by gateway/routes/pages.ts); `npm run dev:ui` serves the
 * sources with `/api` and `/socket` proxied to a local gateway on :4000.
 */
import { build, defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';

/**
 * The service worker (src/sw.ts) is built as its own self-contained file,
 * `dist/sw.js` (not hashed: browsers look it up by URL, and the gateway serves
 * it at the console's root scope), after the console's bundle, so it shares no
 * chunk with the app and stays out of the entry manifest. The web app
 * manifest and icons are in ui/public (copied to dist as they are).
 */
function serviceWorker(): Plugin {
  return {
    name: 'netia-service-worker',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: import.meta.dirname,
        logLevel: 'warn',
        publicDir: false,
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          target: 'es2022',
          sourcemap: false,
          copyPublicDir: false,
          lib: { entry: 'src/sw.ts', formats: ['es'], fileName: () => 'sw.js' },
        },
      });
    },
  };
}

const gateway = process.env.NETIA_GATEWAY_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [solid(), serviceWorker()],
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
