/**
 * The console's initial JavaScript (the entry chunk and every chunk it imports
 * statically, as listed in Vite's manifest) stays under 150 KB gzip. Lazy
 * routes (settings, reporting) are not part of the initial load, and neither
 * are the screens of the customers list, a customer's page, companies, issues
 * and search (issue #17): their code is only in chunks the entry loads on demand.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { ensureUiBuilt, MANIFEST, UI_DIR, UI_DIST } from './build.js';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const BUDGET_BYTES = 150 * 1024;

type Manifest = Record<string, ManifestChunk>;

/** The files of the chunks reachable from `from` through `edges` (static imports; or any import too). */
function reachable(manifest: Manifest, from: string, edges: (c: ManifestChunk) => string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const dep of edges(chunk)) visit(dep);
  };
  visit(from);
  return seen;
}

/** The manifest and the files of the initial load: the entry and what it imports statically. */
async function initialLoad(t: {
  is: (a: unknown, b: unknown, m: string) => void;
}): Promise<{ manifest: Manifest; entry: string; initial: Set<string> }> {
  await ensureUiBuilt();
  const manifest = JSON.parse(await readFile(MANIFEST, 'utf8')) as Manifest;
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
  t.is(entries.length, 1, 'one entry (index.html)');
  const entry = entries[0]![0];
  return { manifest, entry, initial: reachable(manifest, entry, (c) => c.imports ?? []) };
}

test('the initial JavaScript of the console is under 150 KB gzip', async (t) => {
  const { manifest, initial } = await initialLoad(t);
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

/** The lazy screens, by source file (relative to ui/); the customer page is part of the customers screen's code. */
const LAZY_SCREENS = [
  'src/pages/customers.tsx',
  'src/pages/customers-detail.tsx',
  'src/pages/companies.tsx',
  'src/pages/issues.tsx',
  'src/pages/search.tsx',
];

/** The literal `data-testid="…"` values of a source file. */
async function testIds(file: string): Promise<string[]> {
  const text = await readFile(path.join(UI_DIR, file), 'utf8');
  return [...new Set([...text.matchAll(/data-testid="([a-z0-9-]+)"/g)].map((m) => m[1]!))];
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(UI_DIR, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await sourceFiles(rel)));
    else if (/\.tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}

test('the customers, customer, companies, issues and search screens are not in the initial JavaScript', async (t) => {
  const { manifest, entry, initial } = await initialLoad(t);
  const everything = reachable(manifest, entry, (c) => [...(c.imports ?? []), ...(c.dynamicImports ?? [])]);
  const bundles = new Map<string, string>();
  for (const file of (await readdir(path.join(UI_DIST, 'assets'))).filter((f) => f.endsWith('.js'))) {
    bundles.set(`assets/${file}`, await readFile(path.join(UI_DIST, 'assets', file), 'utf8'));
  }
  const sources = new Map<string, string>();
  for (const file of await sourceFiles('src')) sources.set(file, await readFile(path.join(UI_DIR, file), 'utf8'));

  for (const screen of LAZY_SCREENS) {
    // A screen with a chunk of its own (a dynamic import's target) is named in the manifest.
    const own = manifest[screen];
    if (screen !== 'src/pages/customers-detail.tsx') {
      t.truthy(own, `${screen} has a chunk of its own`);
      t.true(own?.isDynamicEntry, `${screen} is loaded by a dynamic import`);
    }
    if (own) {
      t.false(initial.has(own.file), `${screen}'s chunk ${own.file} is not loaded initially`);
      t.true(everything.has(own.file), `${screen}'s chunk ${own.file} is reachable from the entry`);
    }
    // Where a screen's code went, whether or not it has a chunk of its own: the chunks holding the
    // test ids that only this screen renders (Solid keeps its templates, attributes included, as text).
    const markers = (await testIds(screen)).filter((id) =>
      [...sources].every(([file, text]) => file === screen || !text.includes(`"${id}"`)),
    );
    t.true(markers.length >= 2, `${screen} renders test ids of its own: ${markers.join(', ')}`);
    for (const id of markers) {
      const holders = [...bundles].filter(([, code]) => new RegExp(`data-testid=["']?${id}\\b`).test(code)).map(([file]) => file);
      t.true(holders.length > 0, `${screen}'s ${id} is in the build`);
      for (const file of holders) {
        t.false(initial.has(file), `${screen}'s ${id} is in ${file}, which is loaded initially`);
        t.true(everything.has(file), `${file} is a chunk of the entry`);
      }
      if (own) t.true(holders.includes(own.file), `${screen}'s ${id} is in its own chunk`);
    }
  }
});
