/**
 * @module clients/typescript/generate
 * Writes clients/typescript/schema.d.ts, the TypeScript types of the REST API,
 * from docs/openapi.json (the document `GET /api/openapi.json` serves, written by
 * `NETIA_WRITE_API_DOCS=1 npm test -- tests/gateway/api-docs.test.ts`) with
 * openapi-typescript, formatted with the repository's Prettier options.
 * `npm run build:client` runs it; tests/gateway/routes/typed-client.ts fails when
 * the committed file differs from what this produces.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import prettier from 'prettier';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The committed OpenAPI document the client is generated from. */
export const OPENAPI_FILE = path.join(ROOT, 'docs/openapi.json');
/** The committed generated types. */
export const SCHEMA_FILE = path.join(ROOT, 'clients/typescript/schema.d.ts');

const HEADER = [
  '/**',
  ' * Generated from docs/openapi.json by clients/typescript/generate.ts (openapi-typescript): do not edit.',
  ' * Regenerate with `npm run build:client`; `NETIA_WRITE_API_DOCS=1 npm test -- tests/gateway/api-docs.test.ts`',
  ' * rewrites docs/api.md, docs/openapi.json and this file from the routes the gateway serves.',
  ' */',
  '/* eslint-disable */',
  '',
].join('\n');

/** The text of schema.d.ts for an OpenAPI document (its JSON text or the parsed object). */
export async function renderSchema(document: string | Record<string, unknown>): Promise<string> {
  const parsed = (typeof document === 'string' ? JSON.parse(document) : document) as OpenAPI3;
  const ast = await openapiTS(parsed);
  const options = (await prettier.resolveConfig(SCHEMA_FILE)) ?? {};
  return prettier.format(HEADER + astToString(ast), { ...options, filepath: SCHEMA_FILE });
}

/** Regenerate `out` (schema.d.ts unless given) from `source` (docs/openapi.json unless given). */
export async function writeSchema(source = OPENAPI_FILE, out = SCHEMA_FILE): Promise<void> {
  await writeFile(out, await renderSchema(await readFile(source, 'utf8')));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeSchema();
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)} from ${path.relative(process.cwd(), OPENAPI_FILE)}\n`);
}
