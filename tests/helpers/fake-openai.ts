/**
 * A local stand-in for the OpenAI Chat Completions endpoint that speaks the
 * real wire format, so tests point the official `openai` client at it
 * (CONTRIBUTING.md#rules-for-tests, third-party SaaS). Scripted like a FakeModel: each request
 * consumes the next `enqueue`d step; every request is recorded; a request with
 * no step left is answered with a loud 500 and flagged in `exhausted`/`problems`.
 *
 * Wire shapes served at `POST <baseUrl>/chat/completions` (`baseUrl` ends in `/v1`):
 * - non-streaming: `{ id, object: 'chat.completion', created, model, choices: [{ index: 0,
 *   message: { role: 'assistant', content, refusal: null, tool_calls? }, logprobs: null,
 *   finish_reason: 'stop' | 'tool_calls' }], usage }`
 * - streaming (`stream: true`): `text/event-stream` of `data: <chunk>\n\n` lines, each chunk
 *   `{ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta,
 *   logprobs: null, finish_reason }] }` — a role chunk, content or tool-call fragments, a
 *   finish chunk — then, when `stream_options.include_usage`, a `choices: []` chunk with
 *   `usage`, then `data: [DONE]`.
 * - errors: the step's status with `{ error: { message, type, param: null, code } }`.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type FakeStep =
  /** Answer with this text (streamed word by word when the request streams); with `gate`, only once it resolves. */
  | { reply: string; usage?: FakeUsage; gate?: Promise<void> }
  /** Answer with one function tool call; `arguments` objects are JSON-encoded as OpenAI does. */
  | { toolCall: { name: string; arguments: string | Record<string, unknown> }; content?: string; usage?: FakeUsage }
  /** Fail with this HTTP status; `body` defaults to an OpenAI-style error object. */
  | { status: number; body?: unknown };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined if it was not JSON). */
  body: any;
}

export interface FakeOpenAi {
  /** Give this to the client as `baseURL` (`OPENAI_BASE_URL`). */
  readonly baseUrl: string;
  /** Every request, in arrival order, including unexpected ones. */
  readonly requests: RecordedRequest[];
  /** Loud failures: script ran out, unknown path, unparsable body. */
  readonly problems: string[];
  /** True once a request arrived with no step left. */
  readonly exhausted: boolean;
  /** Steps not consumed yet. */
  readonly pending: number;
  /** Resolves when the n-th request (1-based) has arrived. */
  waitForRequest(n: number, timeoutMs?: number): Promise<RecordedRequest>;
  enqueue(...steps: FakeStep[]): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_USAGE: FakeUsage = Object.freeze({ prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 });

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const script: FakeStep[] = [];
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  let exhausted = false;
  let counter = 0;
  const waiters = new Set<{ n: number; resolve: (r: RecordedRequest) => void }>();

  const fail = (res: ServerResponse, status: number, message: string, type: string): void => {
    problems.push(message);
    process.stderr.write(`\n[fake-openai] ${message}\n`);
    sendJson(res, status, { error: { message, type, param: null, code: type } });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '').split('?')[0] ?? '';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const n = requests.length;
      for (const w of [...waiters])
        if (requests.length >= w.n) {
          waiters.delete(w);
          w.resolve(requests[w.n - 1]!);
        }

      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        fail(
          res,
          404,
          `fake-openai: unexpected ${req.method} ${path} (request #${n}); only POST /v1/chat/completions is served`,
          'fake_unknown_route',
        );
        return;
      }
      if (body === undefined || typeof body !== 'object') {
        fail(res, 400, `fake-openai: request #${n} has no JSON body`, 'fake_bad_body');
        return;
      }
      const step = script.shift();
      if (!step) {
        exhausted = true;
        fail(
          res,
          500,
          `fake-openai: SCRIPT EXHAUSTED — request #${n} arrived but no step was enqueued (messages: ${JSON.stringify(body.messages)?.slice(0, 300)})`,
          'fake_script_exhausted',
        );
        return;
      }
      const id = `chatcmpl-fake-${++counter}`;
      const model: string = typeof body.model === 'string' ? body.model : 'fake-model';
      if ('gate' in step && step.gate) {
        // Hold the answer until the test releases it (e.g. to post more messages while the model "thinks").
        const { gate, ...rest } = step;
        void gate.then(() =>
          body.stream === true
            ? sendStream(res, id, model, rest, body.stream_options?.include_usage === true)
            : sendJson(res, 200, completion(id, model, rest)),
        );
        return;
      }
      if ('status' in step) {
        sendJson(
          res,
          step.status,
          step.body ?? { error: { message: `fake-openai scripted ${step.status}`, type: 'fake_scripted_error', param: null, code: null } },
        );
      } else if (body.stream === true) {
        sendStream(res, id, model, step, body.stream_options?.include_usage === true);
      } else {
        sendJson(res, 200, completion(id, model, step));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    waitForRequest(n, timeoutMs = 15_000) {
      if (requests.length >= n) return Promise.resolve(requests[n - 1]!);
      return new Promise((resolve, reject) => {
        const w = {
          n,
          resolve: (r: RecordedRequest) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`fake-openai: request #${n} did not arrive within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    problems,
    get exhausted() {
      return exhausted;
    },
    get pending() {
      return script.length;
    },
    enqueue(...steps) {
      script.push(...steps);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const created = (): number => Math.floor(Date.now() / 1000);

function toolCallOf(step: Extract<FakeStep, { toolCall: unknown }>, n: number) {
  const args = typeof step.toolCall.arguments === 'string' ? step.toolCall.arguments : JSON.stringify(step.toolCall.arguments);
  return { id: `call_fake_${n}`, type: 'function' as const, function: { name: step.toolCall.name, arguments: args } };
}

function completion(id: string, model: string, step: Exclude<FakeStep, { status: number }>) {
  const isTool = 'toolCall' in step;
  return {
    id,
    object: 'chat.completion',
    created: created(),
    model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: isTool
          ? { role: 'assistant', content: step.content ?? null, refusal: null, tool_calls: [toolCallOf(step, 1)] }
          : { role: 'assistant', content: step.reply, refusal: null },
        logprobs: null,
        finish_reason: isTool ? 'tool_calls' : 'stop',
      },
    ],
    usage: step.usage ?? DEFAULT_FAKE_USAGE,
  };
}

function sendStream(
  res: ServerResponse,
  id: string,
  model: string,
  step: Exclude<FakeStep, { status: number }>,
  includeUsage: boolean,
): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const base = { id, object: 'chat.completion.chunk', created: created(), model, system_fingerprint: null };
  // With include_usage, real chunks carry `usage: null` until the final usage-only chunk.
  const usageField = includeUsage ? { usage: null } : {};
  const send = (delta: Record<string, unknown>, finish: string | null = null): void => {
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...usageField })}\n\n`,
    );
  };
  send({ role: 'assistant', content: '', refusal: null });
  if ('toolCall' in step) {
    if (step.content) send({ content: step.content });
    const call = toolCallOf(step, 1);
    send({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
    for (const piece of splitPieces(call.function.arguments, 8)) send({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
    send({}, 'tool_calls');
  } else {
    for (const piece of step.reply.match(/\s*\S+\s*/g) ?? [step.reply]) send({ content: piece });
    send({}, 'stop');
  }
  if (includeUsage) res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: step.usage ?? DEFAULT_FAKE_USAGE })}\n\n`);
  res.write('data: [DONE]\n\n');
  res.end();
}

function splitPieces(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}
