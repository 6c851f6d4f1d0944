/**
 * The gateway must run on the native uWebSockets.js binding. This package
 * (`@trufflesuite/uws-js-unofficial`, aliased as `uWebSockets.js`) silently
 * falls back to a pure-JS implementation on top of `ws` when the binary for
 * this platform/ABI fails to load (or with `UWS_USE_FALLBACK=1`), which would
 * keep everything "working" at a fraction of the performance and without
 * native pub/sub semantics. These tests fail if that happens.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import uWSFromImport from 'uWebSockets.js';

const require = createRequire(import.meta.url);

interface BindingReport {
  /** `require.cache` key of the native `.node` binary for this platform and Node ABI, if loaded. */
  nativeKey: string | null;
  /** Whether the package's JS fallback (`dist/index.js`) was loaded. */
  hasFallback: boolean;
  /** Whether `App` is a native function. */
  isAppNative: boolean;
}

/**
 * Load `uWebSockets.js` through `req` and report which implementation it is.
 * Runs both here and, as source text, in child processes: it must not use
 * imports or named inner functions (tsx's `__name` helper is not there).
 */
function inspectBinding(req: NodeRequire): BindingReport {
  const uws = req('uWebSockets.js') as { App: () => unknown };
  const binary = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;
  const packageRoot = req.resolve('uWebSockets.js').replace(/[\\/]src[\\/]uws\.js$/, '');
  const keys = Object.keys(req.cache);
  const nativeKey = keys.find((k) => k.endsWith(binary)) ?? null;
  const hasFallback = keys.some((k) => k === packageRoot + '/dist/index.js' || k === packageRoot + '\\dist\\index.js');
  return { nativeKey, hasFallback, isAppNative: uws.App.toString().includes('[native code]') };
}

/** Run `inspectBinding` in a fresh Node process with `env` added. */
async function inspectInChild(env: Record<string, string>): Promise<BindingReport> {
  const marker = '@@binding-report@@';
  const script = [
    "import { createRequire } from 'node:module';",
    'const __name = (f) => f;',
    `const req = createRequire(${JSON.stringify(import.meta.url)});`,
    `const inspect = ${inspectBinding.toString()};`,
    `process.stdout.write(${JSON.stringify(`\n${marker}`)} + JSON.stringify(inspect(req)));`,
  ].join('\n');
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  // The fallback announces itself on stdout first; the report follows the marker.
  return JSON.parse(stdout.slice(stdout.lastIndexOf(marker) + marker.length)) as BindingReport;
}

test('uWebSockets.js is the native binary for this platform and Node ABI, not the ws fallback', (t) => {
  const report = inspectBinding(require);
  const binary = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;

  t.truthy(report.nativeKey, `no ${binary} in require.cache`);
  t.is(dirname(report.nativeKey!), join(dirname(dirname(require.resolve('uWebSockets.js'))), 'binaries'));
  t.false(report.hasFallback, 'the JS fallback dist/index.js was loaded');
  t.true(report.isAppNative, 'uws.App is not native code');
});

test('the ESM default import the gateway uses is that same native module', (t) => {
  t.is(uWSFromImport, require('uWebSockets.js'));
  t.true(uWSFromImport.App.toString().includes('[native code]'));
  t.is(typeof uWSFromImport.us_socket_local_port, 'function');
});

test('the check flips when the fallback is forced (UWS_USE_FALLBACK=1)', async (t) => {
  const [native, fallback] = await Promise.all([inspectInChild({ UWS_USE_FALLBACK: '' }), inspectInChild({ UWS_USE_FALLBACK: '1' })]);

  t.truthy(native.nativeKey);
  t.false(native.hasFallback);
  t.true(native.isAppNative);

  t.is(fallback.nativeKey, null);
  t.true(fallback.hasFallback);
  t.false(fallback.isAppNative);
});
