/**
 * Builds the widget into widget/dist (`npm run build:widget`):
 *   - chat.html + assets/*  the /chat iframe page (ES modules, served under /widget/assets/)
 *   - widget.js             the loader, one classic IIFE script defining only `window.Netia`
 *   - sizes.json            gzip sizes; the build fails if widget.js exceeds its budget
 * The loader is a second, nested build (a classic script cannot share chunks with the page).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, defineConfig, type Plugin } from 'vite';
import { formatKb, LOADER_GZIP_BUDGET, measureWidget } from './build/sizes.js';

const root = import.meta.dirname;
const outDir = path.join(root, 'dist');

function loaderBuild(): Plugin {
  return {
    name: 'netia-widget-loader',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        publicDir: false,
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2018',
          minify: 'esbuild',
          sourcemap: false,
          rollupOptions: {
            input: path.join(root, 'src/loader/index.ts'),
            output: { format: 'iife', entryFileNames: 'widget.js' },
          },
        },
      });
      const sizes = measureWidget(outDir);
      writeFileSync(path.join(outDir, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
      this.info?.(`widget.js ${formatKb(sizes.loader.gzip)} gzip; /chat page ${formatKb(sizes.chat.gzip)} gzip`);
      if (sizes.loader.gzip > LOADER_GZIP_BUDGET) {
        throw new Error(`widget.js is ${formatKb(sizes.loader.gzip)} gzipped, over its ${formatKb(LOADER_GZIP_BUDGET)} budget`);
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/widget/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { chat: path.join(root, 'chat.html') } },
  },
  plugins: [loaderBuild()],
});
