/**
 * The console's copilot calls (ui/src/lib/api-copilot.ts) are operations of the OpenAPI
 * document (docs/openapi.json, kept equal to what the gateway serves by
 * tests/gateway/api-docs.test.ts), with the bodies the routes take; and `latestSeq` picks the
 * newest seq the console knows of, ignoring what is not a number.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unitModuleTest } from '../../helpers/modules.js';
import { copilotApi, IMPROVE_MODES, latestSeq, type CopilotApi } from '../../../ui/src/lib/api-copilot.js';
import { improveModeSchema } from '../../../gateway/protocol/wire/index.js';
import { ROOT } from '../build.js';

const test = unitModuleTest(import.meta.url);

const CALLS: Record<keyof CopilotApi, (c: CopilotApi) => Promise<unknown>> = {
  settings: (c) => c.settings(),
  setEnabled: (c) => c.setEnabled(false),
  summary: (c) => c.summary('c-1'),
  summarize: (c) => c.summarize('c-1', 'handoff'),
  suggest: (c) => c.suggest('c-1'),
  improve: (c) => c.improve('Hi', 'translate', 'c-1'),
};

test('every copilot call of the console is a documented operation with the body its route takes', async (t) => {
  const doc = JSON.parse(await readFile(path.join(ROOT, 'docs', 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.keys(item).map((method) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    })),
  );
  const calls: { method: string; path: string; body: unknown }[] = [];
  const parsedData = (<T>(_schema: unknown, method: string, p: string, body?: unknown): Promise<T> => {
    calls.push({ method, path: p, body });
    return Promise.resolve({} as T);
  }) as Parameters<typeof copilotApi>[0]['parsedData'];
  const client = copilotApi({ parsedData });
  for (const call of Object.values(CALLS)) await call(client);
  t.is(calls.length, Object.keys(CALLS).length);
  t.deepEqual(
    calls.filter((c) => !operations.some((op) => op.method === c.method && op.pattern.test(c.path))),
    [],
    'requests the server does not document',
  );
  t.deepEqual(calls.find((c) => c.path === '/api/accounts/me/copilot' && c.method === 'PUT')?.body, { copilot: { enabled: false } });
  t.deepEqual(calls.find((c) => c.path === '/api/copilot/improve')?.body, { text: 'Hi', mode: 'translate', conversation_id: 'c-1' });
  t.deepEqual(calls.find((c) => c.path.endsWith('/copilot/summary'))?.body, { trigger: 'handoff' });
  t.deepEqual(
    IMPROVE_MODES.map((m) => m.mode),
    improveModeSchema.options,
    'the Improve menu offers every mode the server takes, in order',
  );
});

test('the newest known seq ignores missing values', (t) => {
  t.is(latestSeq(3, undefined, null, 7, Number.NaN, 5), 7);
  t.is(latestSeq(), 0);
});
