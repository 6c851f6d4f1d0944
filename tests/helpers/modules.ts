/**
 * Several test modules in one ava test file (one process): each module keeps its own name in its titles
 * (`lists › …`, as ava prefixes file names), may get a context of its own merged into `t.context`, and
 * may have its tests wait for a slot (at most `max` at once in the process). Used by tests/helpers/suite.ts
 * (modules on a shared stack) and by `unitModuleTest` below (modules that need no services).
 *
 * No import of the backend here: a unit test process stays light.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';

export type Extra = Record<string, unknown>;
type Impl = (t: ExecutionContext<Record<string, unknown>>, ...args: unknown[]) => unknown;
type Kind = 'test' | 'file-hook' | 'test-hook';
export type ExtraFn = (t: ExecutionContext<any>) => Promise<Extra>;

// A counting semaphore for the tests (not the hooks) of the process.
let running = 0;
const waiting: Array<() => void> = [];
async function acquire(max: number): Promise<void> {
  if (running < max) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}
function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** `impl` with the module's extra context (e.g. its accounts A and B) merged into `t.context`. */
function wrapImpl(impl: Impl, extra: ExtraFn, kind: Kind, max: number): Impl {
  return async (t, ...args) => {
    const x = await extra(t);
    if (kind !== 'file-hook') {
      t.context = { ...t.context, ...x };
      if (kind === 'test-hook' || !Number.isFinite(max)) return impl(t, ...args);
      await acquire(max);
      try {
        return await impl(t, ...args);
      } finally {
        release();
      }
    }
    // before/after hooks share the file's context: the module sees its extras there, and what it adds stays
    // (for its tests), but its extras do not replace its neighbours' (each test gets its own again).
    const fileContext = t.context;
    t.context = { ...fileContext, ...x };
    try {
      return await impl(t, ...args);
    } finally {
      const after = t.context;
      for (const [k, v] of Object.entries(after)) if (!(k in x)) fileContext[k] = v;
      t.context = fileContext;
    }
  };
}

const FILE_HOOKS = new Set(['before', 'after']);
const TEST_HOOKS = new Set(['beforeEach', 'afterEach']);
const PASS_THROUGH = new Set(['macro', 'meta']);

/** ava's chain (`test`, `test.serial`, `test.before`, `test.after.always`, …) with every implementation wrapped and titles prefixed. */
export function moduleChain(target: unknown, label: string, extra: ExtraFn, kind: Kind = 'test', max = Infinity): unknown {
  return new Proxy(target as (...args: unknown[]) => unknown, {
    apply(fn, thisArg, args: unknown[]) {
      const mapped = args.map((a, i) => {
        if (typeof a === 'function') return wrapImpl(a as Impl, extra, kind, max);
        if (i === 0 && typeof a === 'string') return `${label} › ${a}`;
        if (a && typeof a === 'object' && 'exec' in a) throw new Error(`${label}: macros are not supported in a grouped module`);
        return a;
      });
      return Reflect.apply(fn, thisArg, mapped);
    },
    get(fn, prop) {
      const value: unknown = Reflect.get(fn, prop);
      if (typeof value !== 'function' || typeof prop !== 'string' || PASS_THROUGH.has(prop)) return value;
      const next = FILE_HOOKS.has(prop) ? 'file-hook' : TEST_HOOKS.has(prop) ? 'test-hook' : kind;
      return moduleChain(value, label, extra, next, max);
    },
  });
}

const labels = new Set<string>();

/** The module's name (its file name without `.ts`), once per process. */
export function moduleLabel(moduleUrl: string): string {
  const label = path.basename(fileURLToPath(moduleUrl)).replace(/(\.test)?\.ts$/, '');
  if (labels.has(label)) throw new Error(`two grouped modules named ${label} in one process`);
  labels.add(label);
  return label;
}

const noExtra: ExtraFn = () => Promise.resolve({});

/**
 * For a unit-test module of a group file (no services): ava's `test` with the module's name in its titles.
 * Pass `import.meta.url`. Was `import test from 'ava'` in a test file of its own.
 */
export function unitModuleTest(moduleUrl: string): TestFn {
  return moduleChain(anyTest, moduleLabel(moduleUrl), noExtra) as TestFn;
}
