/**
 * Builds the widget into widget/dist (`npm run build:widget`):
 *   - chat.html + assets/*  the /chat iframe page (ES modules, served under /widget/assets/)
 *   - widget.js             the loader, one classic IIFE script defining only `window.Netia`
 *   - assets/recorder-<hash>.js  the session-replay recorder (rrweb), a classic script the loader
 *                           adds only when recording is on (widget/src/replay/handoff.ts)
 *   - sizes.json            gzip sizes; the build fails if widget.js exceeds its budget
 * The loader is a second, nested build (a classic script cannot share chunks with the page); the
 * recorder a third, built before it so the loader can name its hashed file.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { build, defineConfig, type Plugin, type Rollup } from 'vite';
import { formatKb, LOADER_GZIP_BUDGET, measureWidget } from './build/sizes.js';

const root = import.meta.dirname;
const outDir = path.join(root, 'dist');

function loaderBuild(): Plugin {
  return {
    name: 'netia-widget-loader',
    apply: 'build',
    async closeBundle() {
      const recorderFile = await recorderBuild();
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        publicDir: false,
        define: { __NETIA_RECORDER_FILE__: JSON.stringify(recorderFile) },
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

/** The recorder chunk (rrweb, phoenix): one IIFE with a content hash in its name; returns that name (`assets/…`). */
async function recorderBuild(): Promise<string> {
  const result = await build({
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
        input: path.join(root, 'src/replay/recorder.ts'),
        output: { format: 'iife', entryFileNames: 'assets/recorder-[hash].js' },
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk' && o.isEntry);
  if (!chunk) throw new Error('the recorder build wrote no script');
  return chunk.fileName;
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
