/**
 * @module widget/build/sizes
 * Size budget of the widget, measured on the built files (gzip level 9, as a
 * CDN or the gateway would serve them). The build fails when the loader is
 * over budget; `tests/widget/bundle-size.test.ts` checks it again.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** `/widget.js` must stay under this many gzipped bytes. */
export const LOADER_GZIP_BUDGET = 15 * 1024;

export interface FileSize {
  bytes: number;
  gzip: number;
}

export interface WidgetSizes {
  loader: FileSize;
  /** Everything the /chat page loads: its HTML, scripts and styles. */
  chat: FileSize & { files: Record<string, FileSize> };
  /** The session-replay recorder (`assets/recorder-<hash>.js`), loaded by widget.js only when recording is on; null when absent. */
  recorder: (FileSize & { file: string }) | null;
}

/** The recorder chunk's file name in `assets/`. */
export const RECORDER_FILE = /^recorder-[A-Za-z0-9_-]+\.js$/;

function sizeOf(file: string): FileSize {
  const data = readFileSync(file);
  return { bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
}

export function measureWidget(distDir: string): WidgetSizes {
  const files: Record<string, FileSize> = { 'chat.html': sizeOf(path.join(distDir, 'chat.html')) };
  const assets = path.join(distDir, 'assets');
  let recorder: WidgetSizes['recorder'] = null;
  for (const name of readdirSync(assets)) {
    if (!/\.(js|css)$/.test(name) || !statSync(path.join(assets, name)).isFile()) continue;
    if (RECORDER_FILE.test(name)) recorder = { file: `assets/${name}`, ...sizeOf(path.join(assets, name)) };
    else files[`assets/${name}`] = sizeOf(path.join(assets, name));
  }
  const total = Object.values(files).reduce((a, f) => ({ bytes: a.bytes + f.bytes, gzip: a.gzip + f.gzip }), { bytes: 0, gzip: 0 });
  return { loader: sizeOf(path.join(distDir, 'widget.js')), chat: { ...total, files }, recorder };
}

export function formatKb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}
