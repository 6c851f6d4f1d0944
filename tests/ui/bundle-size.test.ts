/**
 * The console's initial JavaScript (the entry chunk and every chunk it imports
 * statically, as listed in Vite's manifest) stays under 150 KB gzip. Lazy
 * routes (settings, reporting) are not part of the initial load.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { ensureUiBuilt, MANIFEST, UI_DIST } from './build.js';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const BUDGET_BYTES = 150 * 1024;

test('the initial JavaScript of the console is under 150 KB gzip', async (t) => {
  await ensureUiBuilt();
  const manifest = JSON.parse(await readFile(MANIFEST, 'utf8')) as Record<string, ManifestChunk>;
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
  t.is(entries.length, 1, 'one entry (index.html)');
  const initial = new Set<string>();
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (!chunk || initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  visit(entries[0]![0]);
  let gzip = 0;
  let raw = 0;
  for (const file of initial) {
    const body = await readFile(path.join(UI_DIST, file));
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  const lazy = Object.values(manifest)
    .filter((c) => !initial.has(c.file) && c.file.endsWith('.js'))
    .map((c) => c.file);
  t.log(
    `initial JS: ${[...initial].join(', ')} = ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip; lazy: ${lazy.join(', ')}`,
  );
  t.true(lazy.length >= 2, 'settings and reporting are split out of the initial bundle');
  t.true(gzip < BUDGET_BYTES, `initial JS is ${gzip} bytes gzip`);
});
