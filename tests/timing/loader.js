/** Resolution hook of tests/timing/hook.js: reports the first `.test.ts` module a child resolves. */
import { fileURLToPath } from 'node:url';

let port;
let told = false;
export function initialize(data) {
  port = data.port;
}
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!told && result.url.startsWith('file:') && result.url.endsWith('.test.ts')) {
    told = true;
    port.postMessage(fileURLToPath(result.url));
  }
  return result;
}
