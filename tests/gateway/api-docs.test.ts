/**
 * docs/api.md is the route table generated from the served OpenAPI document, and
 * docs/openapi.json the document itself (the typed client is generated from it).
 * This test fails when they drift; regenerate both, and clients/typescript/schema.d.ts,
 * with `NETIA_WRITE_API_DOCS=1 npm test -- tests/gateway/api-docs.test.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { OPENAPI_FILE, writeSchema } from '../../clients/typescript/generate.js';
import { api } from '../helpers/api.js';
import { startStack } from '../helpers/stack.js';

const FILE = path.resolve(import.meta.dirname, '../../docs/api.md');

interface Operation {
  summary?: string;
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  security?: Array<Record<string, unknown>>;
  'x-admin-only'?: boolean;
}

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
}

/** `Message`, `[Tag]`, `Issue | null`, `{data: [Tag]}`: a response body in a few characters. */
function shape(s: JsonSchema | undefined): string {
  if (!s) return '';
  if (s.$ref) return s.$ref.split('/').pop()!;
  if (s.anyOf) return s.anyOf.map(shape).join(' \\| ');
  if (s.type === 'array') return `[${shape(s.items)}]`;
  if (s.type === 'null') return 'null';
  if (s.type === 'object' && s.properties && 'data' in s.properties) return `{data: ${shape(s.properties.data)}}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

/** The success responses of an operation: `200 {data: Message}`, `204`, `200 text/csv`. */
function successes(op: Operation): string {
  return Object.entries(op.responses ?? {})
    .filter(([status]) => /^[23]/.test(status))
    .map(([status, r]) => {
      const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
      if (!type) return status;
      return type === 'application/json' ? `${status} \`${shape(media?.schema)}\`` : `${status} ${type}`;
    })
    .join(', ');
}

function render(doc: { paths: Record<string, Record<string, Operation>> }): string {
  const rows: string[] = [];
  for (const [p, ops] of Object.entries(doc.paths).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [method, op] of Object.entries(ops)) {
      const who = op['x-admin-only']
        ? 'admin'
        : op.security?.some((s) => 'personalApiKey' in s)
          ? 'API key'
          : op.security?.some((s) => 'customerToken' in s)
            ? 'customer token'
            : op.security?.some((s) => Object.keys(s).length === 0) && op.security.length > 1
              ? 'public or agent'
              : op.security?.length
                ? 'agent'
                : 'public';
      rows.push(`| \`${method.toUpperCase()}\` | \`${p}\` | ${who} | ${successes(op)} | ${(op.summary ?? '').replace(/\|/g, '\\|')} |`);
    }
  }
  return [
    '# Netia REST API',
    '',
    'Generated from `GET /api/openapi.json` (the OpenAPI 3.1 document built from the same zod schemas the',
    'router validates with). `tests/gateway/api-docs.test.ts` fails when this file and the document differ;',
    'regenerate with `NETIA_WRITE_API_DOCS=1 npm test -- tests/gateway/api-docs.test.ts`. Response bodies name the',
    'schemas of `components.schemas` in the document, defined once in `gateway/protocol/wire/`. Who: `public` (anyone),',
    "`public or agent` (an agent token changes the answer), `customer token` (a widget route: the customer's token when",
    'the account requires one), `agent` (session token), `admin`, `API key` (`/api/v1`). The document is also committed as',
    '`docs/openapi.json`, from which `npm run build:client` generates the typed client of `clients/typescript/`.',
    '',
    '| Method | Path | Who | Success | What |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

test('docs/api.md matches the OpenAPI document the gateway serves', async (t) => {
  const stack = await startStack({ worker: false });
  try {
    const res = await api(stack.baseUrl).get('/api/openapi.json');
    t.is(res.status, 200);
    const expected = render(res.body);
    const document = `${JSON.stringify(res.body, null, 2)}\n`;
    if (process.env.NETIA_WRITE_API_DOCS === '1') {
      await writeFile(FILE, expected);
      await writeFile(OPENAPI_FILE, document);
      await writeSchema();
    }
    const actual = await readFile(FILE, 'utf8').catch(() => '');
    t.is(actual, expected, 'docs/api.md is out of date: regenerate it (see the file header)');
    const committed = await readFile(OPENAPI_FILE, 'utf8').catch(() => '');
    t.is(committed, document, 'docs/openapi.json is out of date: regenerate it (see the file header)');
  } finally {
    await stack.stop();
  }
});
