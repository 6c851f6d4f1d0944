/**
 * Checks docker-compose.yml and the Dockerfile (docs/architecture.md#running-it-one-machine-or-many, production-like topology).
 *
 * Two layers:
 * - If a Compose CLI is installed (`docker-compose` v1.29 or the `docker compose` v2 plugin),
 *   it validates the file, must reject it without SECRET_KEY_BASE, and its resolved output must
 *   pass the structural check too.
 * - Always: a structural check in TypeScript (`checkTopology`) over the parsed file. Mutation
 *   tests feed it broken copies to prove every rule can fail.
 *
 * No Docker engine is needed; nothing is built or started.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../temporal.config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const DOCKERFILE = path.join(ROOT, 'Dockerfile');
const TEST_SECRET = 'compose-test-secret-key-base';

const EXPECTED_SERVICES = [
  'postgres',
  'redis',
  'temporal',
  'temporal-admin',
  'temporal-ui',
  'migrate',
  'gateway-1',
  'gateway-2',
  'worker-1',
  'worker-2',
] as const;
const APP_ENV_KEYS = [
  'DATABASE_URL',
  'REDIS_URL',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'SECRET_KEY_BASE',
  'PUBLIC_URL',
  'NODE_ENV',
] as const;
const LONG_RUNNING_RESTART = /^(always|unless-stopped|on-failure(:\d+)?)$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Scripts = { gateway: string[]; worker: string[]; migrate: string[] };
type DockerfileInfo = { froms: string[]; cmd: string[] | undefined; user: string | undefined; text: string };

// ---------------------------------------------------------------------------
// Reading inputs

function readComposeRaw(file = COMPOSE_FILE): JsonObject {
  // `merge: true` resolves `<<: *anchor` (YAML 1.1 merge keys), as Compose does.
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as Json;
  if (!isObject(doc)) throw new Error(`${file} is not a YAML mapping`);
  return doc;
}

function readScripts(): Scripts {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const pick = (name: string): string[] => {
    const script = pkg.scripts?.[name];
    if (!script) throw new Error(`package.json has no "${name}" script`);
    return script.trim().split(/\s+/);
  };
  return { gateway: pick('gateway'), worker: pick('worker'), migrate: pick('migrate') };
}

/** Minimal Dockerfile reader: joins `\` continuations, drops comments, keeps the last CMD and USER. */
function readDockerfile(file = DOCKERFILE): DockerfileInfo {
  const text = readFileSync(file, 'utf8');
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) && current === '') continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim() !== '') logical.push(current.trim());
    current = '';
  }
  const froms: string[] = [];
  let cmd: string[] | undefined;
  let user: string | undefined;
  for (const instruction of logical) {
    const match = /^(\w+)\s+(.*)$/s.exec(instruction);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const rest = (match[2] ?? '').trim();
    if (keyword === 'FROM') froms.push(rest.split(/\s+/)[0] ?? '');
    if (keyword === 'USER') user = rest;
    if (keyword === 'CMD') cmd = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : ['/bin/sh', '-c', rest];
  }
  return { froms, cmd, user, text };
}

// ---------------------------------------------------------------------------
// Compose-style interpolation, so the raw file and a CLI's resolved output look alike.

/**
 * Interpolate `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `$VAR` and `$$` like Compose does. Throws, like Compose, when a required variable is missing.
 */
function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(
    /\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_whole, escaped: string, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (escaped === '$') return '$';
      const key = name ?? bare ?? '';
      const current = env[key];
      const isMissing = current === undefined || (colon === ':' && current === '');
      if (op === '-') return isMissing ? interpolate(arg ?? '', env) : (current ?? '');
      if (op === '?') {
        if (isMissing) throw new Error(`required variable ${key} is missing: ${arg ?? ''}`);
        return current ?? '';
      }
      return current ?? '';
    },
  );
}

function interpolateDeep(value: Json, env: Record<string, string | undefined>): Json {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, env)]));
  }
  return value;
}

function unescapeDollarsDeep(value: Json): Json {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollarsDeep);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollarsDeep(v)]));
  return value;
}

// ---------------------------------------------------------------------------
// Normalisers for the short and long forms Compose allows

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function environmentOf(service: JsonObject): Record<string, string> {
  const env = service.environment;
  const out: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const item of env) {
      const text = asString(item) ?? '';
      const eq = text.indexOf('=');
      if (eq > 0) out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (isObject(env)) {
    for (const [k, v] of Object.entries(env)) out[k] = asString(v) ?? '';
  }
  return out;
}

function dependsOnOf(service: JsonObject): Map<string, string> {
  const deps = new Map<string, string>();
  const raw = service.depends_on;
  if (Array.isArray(raw)) for (const name of raw) deps.set(asString(name) ?? '', 'service_started');
  else if (isObject(raw)) {
    for (const [name, spec] of Object.entries(raw)) {
      deps.set(name, (isObject(spec) ? asString(spec.condition) : undefined) ?? 'service_started');
    }
  }
  return deps;
}

function commandOf(service: JsonObject, dockerfile: DockerfileInfo): string[] | undefined {
  const raw = service.command;
  if (Array.isArray(raw)) return raw.map((part) => asString(part) ?? '');
  if (typeof raw === 'string') return raw.trim().split(/\s+/);
  return service.build === undefined ? undefined : dockerfile.cmd;
}

type Published = { hostIp: string; hostPort: string; containerPort: string };

function publishedPortsOf(service: JsonObject): Published[] {
  const out: Published[] = [];
  const raw = service.ports;
  if (!Array.isArray(raw)) return out;
  for (const entry of raw) {
    if (isObject(entry)) {
      const hostPort = asString(entry.published);
      if (hostPort) {
        out.push({ hostIp: asString(entry.host_ip) ?? '', hostPort, containerPort: asString(entry.target) ?? '' });
      }
      continue;
    }
    const text = (asString(entry) ?? '').replace(/\/(tcp|udp|sctp)$/, '');
    const parts = text.split(':');
    if (parts.length === 3) out.push({ hostIp: parts[0] ?? '', hostPort: parts[1] ?? '', containerPort: parts[2] ?? '' });
    else if (parts.length === 2) out.push({ hostIp: '', hostPort: parts[0] ?? '', containerPort: parts[1] ?? '' });
  }
  return out;
}

type Mount = { source: string; target: string; readOnly: boolean };

/** Named-volume and bind mounts of a service, short (`src:dst[:ro]`) or long syntax. */
function mountsOf(service: JsonObject): Mount[] {
  const raw = service.volumes;
  if (!Array.isArray(raw)) return [];
  const out: Mount[] = [];
  for (const entry of raw) {
    if (isObject(entry)) {
      out.push({ source: asString(entry.source) ?? '', target: asString(entry.target) ?? '', readOnly: entry.read_only === true });
      continue;
    }
    const [source = '', target = '', mode = ''] = (asString(entry) ?? '').split(':');
    out.push({ source, target, readOnly: mode.split(',').includes('ro') });
  }
  return out;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

function hasHealthcheck(service: JsonObject): boolean {
  const hc = service.healthcheck;
  if (!isObject(hc) || hc.disable === true) return false;
  const testCmd = hc.test;
  if (Array.isArray(testCmd)) return testCmd.length > 1 && asString(testCmd[0]) !== 'NONE';
  return typeof testCmd === 'string' && testCmd.trim() !== '';
}

/** True when `image` carries an explicit tag (or digest) that is not `latest`. */
function isPinnedImage(image: string): boolean {
  const [name = '', digest] = image.split('@');
  if (digest !== undefined) return /^sha256:[0-9a-f]{64}$/.test(digest);
  const lastSegment = name.split('/').pop() ?? '';
  const colon = lastSegment.lastIndexOf(':');
  if (colon <= 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag !== '' && tag !== 'latest';
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item, i) => item === b[i]);
}

// ---------------------------------------------------------------------------
// The structural check

/**
 * Return every way `doc` (an interpolated compose document) breaks the topology of docs/architecture.md#running-it-one-machine-or-many.
 * An empty list means the file is sound. Works on the raw file and on `docker-compose config` output.
 */
function checkTopology(doc: JsonObject, scripts: Scripts, dockerfile: DockerfileInfo): string[] {
  const problems: string[] = [];
  const services = doc.services;
  if (!isObject(services)) return ['no services mapping'];
  const svc = (name: string): JsonObject | undefined => {
    const s = services[name];
    return isObject(s) ? s : undefined;
  };
  const names = Object.keys(services);

  for (const name of EXPECTED_SERVICES) if (!svc(name)) problems.push(`missing service ${name}`);

  // Images are pinned.
  for (const name of names) {
    const service = svc(name);
    const image = service ? asString(service.image) : undefined;
    if (image !== undefined && !isPinnedImage(image)) problems.push(`${name}: image ${image} is not pinned to a tag`);
    if (image === undefined && service?.build === undefined) problems.push(`${name}: neither image nor build`);
  }

  // depends_on: known targets, valid conditions, healthchecks where waited on as healthy, no cycle.
  const graph = new Map<string, string[]>();
  const oneShot = new Set<string>();
  for (const name of names) {
    const service = svc(name);
    if (!service) continue;
    const deps = dependsOnOf(service);
    graph.set(name, [...deps.keys()]);
    for (const [target, condition] of deps) {
      const targetService = svc(target);
      if (!targetService) {
        problems.push(`${name}: depends_on unknown service ${target}`);
        continue;
      }
      if (!['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition)) {
        problems.push(`${name}: depends_on ${target} with unknown condition ${condition}`);
      }
      if (condition === 'service_healthy' && !hasHealthcheck(targetService)) {
        problems.push(`${name} waits for ${target} to be healthy but ${target} has no healthcheck`);
      }
      if (condition === 'service_completed_successfully') oneShot.add(target);
    }
  }
  const cycle = findCycle(graph);
  if (cycle) problems.push(`depends_on cycle: ${cycle.join(' -> ')}`);

  // Restart policies: long-running services restart; one-shot jobs must not (they would never "complete").
  for (const name of names) {
    const restart = asString(svc(name)?.restart) ?? 'no';
    if (oneShot.has(name)) {
      if (restart === 'always' || restart === 'unless-stopped') {
        problems.push(`${name} is a one-shot job but has restart: ${restart}`);
      }
    } else if (!LONG_RUNNING_RESTART.test(restart)) {
      problems.push(`${name} is long-running but has no restart policy`);
    }
  }

  // Host ports are unique.
  const seenPorts = new Map<string, string>();
  for (const name of names) {
    const service = svc(name);
    if (!service) continue;
    for (const port of publishedPortsOf(service)) {
      const other = seenPorts.get(port.hostPort);
      if (other !== undefined) problems.push(`host port ${port.hostPort} published by both ${other} and ${name}`);
      seenPorts.set(port.hostPort, name);
    }
  }

  // App services: built from the local Dockerfile, entry points match the npm scripts.
  const roles = new Map<string, string[]>();
  for (const name of names) {
    const service = svc(name);
    if (!service || service.build === undefined) continue;
    const build = service.build;
    const context = isObject(build) ? asString(build.context) : asString(build);
    const dockerfileName = (isObject(build) ? asString(build.dockerfile) : undefined) ?? 'Dockerfile';
    if (context === undefined || path.resolve(ROOT, context) !== path.resolve(ROOT)) {
      problems.push(`${name}: builds from ${context ?? '?'} instead of the repository root`);
    }
    if (path.resolve(ROOT, context ?? '.', dockerfileName) !== DOCKERFILE) {
      problems.push(`${name}: builds from ${dockerfileName} instead of ./Dockerfile`);
    }
    const command = commandOf(service, dockerfile);
    const role = sameList(command, scripts.gateway)
      ? 'gateway'
      : sameList(command, scripts.worker)
        ? 'worker'
        : sameList(command, scripts.migrate)
          ? 'migrate'
          : undefined;
    if (!role) {
      problems.push(`${name}: command ${JSON.stringify(command)} matches no gateway/worker/migrate npm script`);
      continue;
    }
    roles.set(role, [...(roles.get(role) ?? []), name]);

    const env = environmentOf(service);
    for (const key of APP_ENV_KEYS) if (!env[key]) problems.push(`${name}: environment lacks ${key}`);
    if (env.NODE_ENV !== undefined && env.NODE_ENV !== 'production') problems.push(`${name}: NODE_ENV is not production`);
    if (env.TEMPORAL_NAMESPACE !== undefined && env.TEMPORAL_NAMESPACE !== 'default') {
      problems.push(`${name}: TEMPORAL_NAMESPACE is ${env.TEMPORAL_NAMESPACE}`);
    }
    for (const [key, host] of [
      ['DATABASE_URL', hostOf(env.DATABASE_URL)],
      ['REDIS_URL', hostOf(env.REDIS_URL)],
      ['TEMPORAL_ADDRESS', env.TEMPORAL_ADDRESS?.split(':')[0]],
    ] as const) {
      if (host !== undefined && !svc(host)) problems.push(`${name}: ${key} points at ${host}, which is not a service`);
    }
    if (role !== 'migrate') {
      const deps = dependsOnOf(service);
      for (const [target, condition] of [
        ['postgres', 'service_healthy'],
        ['redis', 'service_healthy'],
        ['temporal', 'service_healthy'],
        ['temporal-admin', 'service_completed_successfully'],
        ['migrate', 'service_completed_successfully'],
      ] as const) {
        if (deps.get(target) !== condition) problems.push(`${name}: must wait for ${target} (${condition})`);
      }
    }
    if (role === 'gateway') {
      const ports = publishedPortsOf(service);
      const containerPort = env.PORT ?? '4000';
      if (ports.length !== 1 || ports[0]?.containerPort !== containerPort) {
        problems.push(`${name}: must publish exactly one host port to container port ${containerPort}`);
      }
    }
  }
  const gateways = (roles.get('gateway') ?? []).sort();
  const workers = (roles.get('worker') ?? []).sort();
  if (!sameList(gateways, ['gateway-1', 'gateway-2']))
    problems.push(`gateways are ${gateways.join(', ') || 'none'}, want gateway-1 and gateway-2`);
  if (!sameList(workers, ['worker-1', 'worker-2']))
    problems.push(`workers are ${workers.join(', ') || 'none'}, want worker-1 and worker-2`);
  if (!sameList(roles.get('migrate'), ['migrate'])) problems.push('exactly one migrate job (service "migrate") is expected');
  const gatewayHostPorts = gateways.flatMap((g) => publishedPortsOf(svc(g) ?? {}).map((p) => p.hostPort)).sort();
  if (!sameList(gatewayHostPorts, ['4001', '4002']))
    problems.push(`gateway host ports are ${gatewayHostPorts.join(', ')}, want 4001 and 4002`);

  // Temporal: PostgreSQL driver against the postgres service, in databases of its own.
  const temporal = svc('temporal');
  if (temporal) {
    const env = environmentOf(temporal);
    if (!asString(temporal.image)?.startsWith('temporalio/auto-setup:')) problems.push('temporal: not the temporalio/auto-setup image');
    if ((env.DB ?? env.SQL_PLUGIN) !== 'postgres12') problems.push('temporal: DB driver is not postgres12');
    if (!svc(env.POSTGRES_SEEDS ?? env.SQL_HOST ?? '')) problems.push('temporal: POSTGRES_SEEDS is not a service');
    const appDb = environmentOf(svc('postgres') ?? {}).POSTGRES_DB;
    const temporalDbs = [env.DBNAME ?? 'temporal', env.VISIBILITY_DBNAME ?? 'temporal_visibility'];
    if (appDb !== undefined && temporalDbs.includes(appDb)) problems.push('temporal: shares the application database');
  }
  const ui = svc('temporal-ui');
  if (ui && !publishedPortsOf(ui).some((p) => p.containerPort === '8080')) problems.push('temporal-ui: port 8080 not published');
  // The Temporal UI and frontend have no login: published on this host's loopback only.
  for (const name of ['temporal-ui', 'temporal']) {
    const service = svc(name);
    for (const port of service ? publishedPortsOf(service) : []) {
      if (!LOOPBACK.has(port.hostIp)) problems.push(`${name}: port ${port.hostPort} is published on all interfaces (bind it to 127.0.0.1)`);
    }
  }

  // Uploads: every gateway writes the same place, a named volume at UPLOAD_DIR, unless files go to S3.
  const uploadSources = new Set<string>();
  for (const name of gateways) {
    const service = svc(name);
    if (!service) continue;
    const env = environmentOf(service);
    if (env.FILES_STORAGE === 's3') {
      if (!env.S3_BUCKET) problems.push(`${name}: FILES_STORAGE=s3 without S3_BUCKET`);
      uploadSources.add('s3');
      continue;
    }
    const dir = env.UPLOAD_DIR;
    if (!dir || !path.posix.isAbsolute(dir)) {
      problems.push(
        `${name}: UPLOAD_DIR is not an absolute path (the default .netia/uploads is inside the read-only image and not shared)`,
      );
      continue;
    }
    const mount = mountsOf(service).find((m) => m.target === dir);
    if (!mount) problems.push(`${name}: no volume mounted at UPLOAD_DIR ${dir}`);
    else if (mount.readOnly) problems.push(`${name}: the uploads volume is read-only`);
    else {
      const declared = isObject(doc.volumes) && Object.prototype.hasOwnProperty.call(doc.volumes, mount.source);
      if (!declared) problems.push(`${name}: uploads mount ${mount.source} is not a named volume declared under volumes`);
      uploadSources.add(mount.source);
    }
  }
  if (uploadSources.size > 1) problems.push(`gateways store uploads in different places: ${[...uploadSources].join(', ')}`);

  // The admin job registers exactly SEARCH_ATTRIBUTES.
  const admin = svc('temporal-admin');
  if (admin) {
    if (!asString(admin.image)?.startsWith('temporalio/admin-tools:'))
      problems.push('temporal-admin: not the temporalio/admin-tools image');
    const script = [admin.entrypoint, admin.command]
      .flat()
      .map((p) => asString(p as Json) ?? '')
      .join(' ');
    if (!script.includes('temporal operator search-attribute create')) {
      problems.push('temporal-admin: does not run temporal operator search-attribute create');
    }
    if (!/\$\{?NETIA_SEARCH_ATTRIBUTES/.test(script)) problems.push('temporal-admin: script ignores NETIA_SEARCH_ATTRIBUTES');
    const registered = (environmentOf(admin).NETIA_SEARCH_ATTRIBUTES ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => {
        const [name = '', type = ''] = pair.split('=');
        return { name, type };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const wanted = Object.values(SEARCH_ATTRIBUTES)
      .map(({ name, type }) => ({ name, type }))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (JSON.stringify(registered) !== JSON.stringify(wanted)) {
      problems.push(`temporal-admin: registers ${JSON.stringify(registered)}, SEARCH_ATTRIBUTES is ${JSON.stringify(wanted)}`);
    }
  }
  return problems;
}

/** A dependency cycle as a path `a -> b -> a`, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}

function checkDockerfile(info: DockerfileInfo, scripts: Scripts): string[] {
  const problems: string[] = [];
  if (info.froms.length < 2) problems.push('Dockerfile is not multi-stage');
  for (const from of info.froms) {
    const isStageRef = info.text.includes(` AS ${from}`);
    if (!isStageRef && from !== 'node:20-bookworm-slim') problems.push(`Dockerfile: FROM ${from}, want node:20-bookworm-slim`);
  }
  if (!sameList(info.cmd, scripts.gateway)) problems.push(`Dockerfile: CMD ${JSON.stringify(info.cmd)} is not the gateway script`);
  if (info.user !== 'node') problems.push('Dockerfile: final USER is not node');
  if (!/npm ci --omit=dev/.test(info.text)) problems.push('Dockerfile: no npm ci --omit=dev');
  if (!/chown\s+node:node\s+\/var\/lib\/netia\/uploads/.test(info.text)) {
    problems.push('Dockerfile: /var/lib/netia/uploads is not created owned by node (a new uploads volume would not be writable)');
  }
  if (!/ENV\s+NODE_ENV=production/.test(info.text)) problems.push('Dockerfile: NODE_ENV=production not set');
  if (!/HEALTHCHECK[\s\S]*http:\/\/127\.0\.0\.1:\$\{PORT:-4000\}\/api\/ping/.test(info.text)) {
    problems.push('Dockerfile: HEALTHCHECK does not hit /api/ping on ${PORT:-4000}');
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Compose CLIs

type ComposeCli = { label: string; argv: string[] };

function findComposeClis(): ComposeCli[] {
  const candidates: ComposeCli[] = [
    { label: 'docker-compose', argv: ['docker-compose'] },
    { label: 'docker compose', argv: ['docker', 'compose'] },
  ];
  return candidates.filter(({ argv }) => {
    const [bin = '', ...rest] = argv;
    const r = spawnSync(bin, [...rest, 'version'], { encoding: 'utf8', timeout: 30_000 });
    return r.status === 0;
  });
}

/** Run `<cli> --env-file <empty> -f docker-compose.yml <args>`; a stray ./.env must not leak in. */
function runCompose(cli: ComposeCli, args: string[], secret: string | undefined) {
  const dir = mkdtempSync(path.join(tmpdir(), 'netia-compose-'));
  try {
    const envFile = path.join(dir, 'empty.env');
    writeFileSync(envFile, '');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.SECRET_KEY_BASE;
    delete env.COMPOSE_FILE;
    if (secret !== undefined) env.SECRET_KEY_BASE = secret;
    const [bin = '', ...rest] = cli.argv;
    return spawnSync(bin, [...rest, '--env-file', envFile, '-f', COMPOSE_FILE, ...args], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const clis = findComposeClis();
const scripts = readScripts();
const dockerfile = readDockerfile();

function loadInterpolated(): JsonObject {
  const doc = interpolateDeep(readComposeRaw(), { SECRET_KEY_BASE: TEST_SECRET });
  if (!isObject(doc)) throw new Error('not a mapping');
  return doc;
}

// ---------------------------------------------------------------------------
// (a) Compose CLI validation

test('the Compose CLI accepts docker-compose.yml when SECRET_KEY_BASE is set', (t) => {
  if (clis.length === 0) {
    t.log('neither docker-compose nor `docker compose` is installed: CLI validation skipped, structural checks still run');
    t.pass();
    return;
  }
  for (const cli of clis) {
    const r = runCompose(cli, ['config', '-q'], TEST_SECRET);
    t.is(r.status, 0, `${cli.label} config -q failed:\n${r.stderr}`);
  }
});

test('the Compose CLI rejects docker-compose.yml when SECRET_KEY_BASE is unset', (t) => {
  if (clis.length === 0) {
    t.log('no Compose CLI installed: skipped');
    t.pass();
    return;
  }
  for (const cli of clis) {
    const r = runCompose(cli, ['config', '-q'], undefined);
    t.not(r.status, 0, `${cli.label} accepted the file without SECRET_KEY_BASE`);
    t.regex(`${r.stderr}${r.stdout}`, /SECRET_KEY_BASE/, `${cli.label} failed for another reason:\n${r.stderr}`);
  }
});

test("the Compose CLI's resolved configuration passes the structural check", (t) => {
  if (clis.length === 0) {
    t.log('no Compose CLI installed: skipped');
    t.pass();
    return;
  }
  for (const cli of clis) {
    const r = runCompose(cli, ['config'], TEST_SECRET);
    t.is(r.status, 0, `${cli.label} config failed:\n${r.stderr}`);
    // Variables are already substituted; v1 re-escapes a literal `$` as `$$` in its output.
    const resolved = unescapeDollarsDeep(parse(r.stdout, { merge: true }) as Json);
    t.true(isObject(resolved), `${cli.label} printed no mapping`);
    if (!isObject(resolved)) continue;
    t.deepEqual(checkTopology(resolved, scripts, dockerfile), [], `${cli.label} resolved output`);
    const services = resolved.services;
    const gateway = isObject(services) ? services['gateway-1'] : undefined;
    t.is(isObject(gateway) ? environmentOf(gateway).SECRET_KEY_BASE : undefined, TEST_SECRET);
  }
});

// ---------------------------------------------------------------------------
// (b) Structural checks, no CLI needed

test('docker-compose.yml has the production-like topology of docs/architecture.md', (t) => {
  t.deepEqual(checkTopology(loadInterpolated(), scripts, dockerfile), []);
});

test('every app service requires SECRET_KEY_BASE from the environment', (t) => {
  const raw = readComposeRaw();
  const services = raw.services;
  t.true(isObject(services));
  if (!isObject(services)) return;
  for (const name of ['migrate', 'gateway-1', 'gateway-2', 'worker-1', 'worker-2']) {
    const service = services[name];
    t.true(isObject(service), name);
    if (!isObject(service)) continue;
    t.regex(environmentOf(service).SECRET_KEY_BASE ?? '', /^\$\{SECRET_KEY_BASE:\?[^}]+\}$/, name);
  }
  t.throws(() => interpolateDeep(raw, {}), { message: /SECRET_KEY_BASE/ });
});

test('the shared app environment is defined once, in the x-netia-env anchor', (t) => {
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  t.regex(text, /^x-netia-env: &netia-env$/m);
  t.is(text.match(/^\s+SECRET_KEY_BASE:/gm)?.length, 1, 'SECRET_KEY_BASE should appear only in the anchor');
  t.false(/^version:/m.test(text), 'the file stays version-less (compose spec)');
});

test('the Dockerfile builds a non-root node:20-bookworm-slim image that starts the gateway', (t) => {
  t.deepEqual(checkDockerfile(dockerfile, scripts), []);
});

test('.dockerignore keeps local state, tests and docs out of the build context', (t) => {
  const lines = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const entry of ['.netia', '.git', 'tests', 'docs', 'bench/results']) t.true(lines.includes(entry), entry);
  t.true(lines.includes('node_modules') || lines.includes('**/node_modules'), 'node_modules');
  t.false(
    lines.some((l) => /^(\*\*\/)?(ui|widget)?\/?dist\/?$/.test(l)),
    'built ui/dist and widget/dist must reach the image',
  );
});

test('entry points referenced by compose and the Dockerfile are the npm scripts', (t) => {
  for (const role of ['gateway', 'worker', 'migrate'] as const) {
    const script = scripts[role];
    t.deepEqual(script.slice(0, 3), ['node', '--import', 'tsx'], role);
    const entry = script[3] ?? '';
    t.regex(entry, /^bin\/[\w-]+\.ts$/, role);
    // Other engineers may still be writing bin/*.ts; report instead of failing.
    if (!existsSync(path.join(ROOT, entry))) t.log(`${entry} does not exist yet`);
  }
});

// ---------------------------------------------------------------------------
// The checker itself: each rule must fail on a broken copy.

type Mutation = { name: string; expect: RegExp; mutate: (services: JsonObject) => void };

const service = (services: JsonObject, name: string): JsonObject => {
  const s = services[name];
  if (!isObject(s)) throw new Error(`no ${name}`);
  return s;
};

const MUTATIONS: Mutation[] = [
  { name: 'a missing worker', expect: /missing service worker-2|workers are/, mutate: (s) => void delete s['worker-2'] },
  {
    name: 'a third gateway',
    expect: /gateways are/,
    mutate: (s) => {
      service(s, 'worker-2').command = ['node', '--import', 'tsx', 'bin/gateway.ts'];
    },
  },
  {
    name: 'a dependency cycle',
    expect: /cycle/,
    mutate: (s) => {
      service(s, 'postgres').depends_on = { 'gateway-1': { condition: 'service_started' } };
    },
  },
  {
    name: 'a dependency on an unknown service',
    expect: /unknown service/,
    mutate: (s) => {
      service(s, 'temporal-ui').depends_on = { temporall: { condition: 'service_started' } };
    },
  },
  {
    name: 'a healthy-wait on a service without healthcheck',
    expect: /no healthcheck/,
    mutate: (s) => void delete service(s, 'redis').healthcheck,
  },
  {
    name: 'a duplicate host port',
    expect: /host port 4001 published by both/,
    mutate: (s) => {
      service(s, 'gateway-2').ports = ['4001:4000'];
    },
  },
  {
    name: 'an unpinned image',
    expect: /not pinned/,
    mutate: (s) => {
      service(s, 'redis').image = 'redis:latest';
    },
  },
  {
    name: 'an image without tag',
    expect: /not pinned/,
    mutate: (s) => {
      service(s, 'temporal-ui').image = 'temporalio/ui';
    },
  },
  {
    name: 'a gateway not built from the local Dockerfile',
    expect: /gateways are|builds from/,
    mutate: (s) => {
      service(s, 'gateway-1').build = { context: './other', dockerfile: 'Dockerfile' };
    },
  },
  {
    name: 'a worker running the wrong entry point',
    expect: /matches no gateway\/worker\/migrate npm script/,
    mutate: (s) => {
      service(s, 'worker-1').command = ['node', '--import', 'tsx', 'bin/wroker.ts'];
    },
  },
  {
    name: 'a missing search attribute',
    expect: /temporal-admin: registers/,
    mutate: (s) => {
      const admin = service(s, 'temporal-admin');
      admin.environment = {
        ...environmentOf(admin),
        NETIA_SEARCH_ATTRIBUTES: 'NetiaAccountId=Keyword NetiaStatus=Keyword NetiaInboxId=Keyword',
      };
    },
  },
  {
    name: 'a search attribute of the wrong type',
    expect: /temporal-admin: registers/,
    mutate: (s) => {
      const admin = service(s, 'temporal-admin');
      const env = environmentOf(admin);
      admin.environment = {
        ...env,
        NETIA_SEARCH_ATTRIBUTES: (env.NETIA_SEARCH_ATTRIBUTES ?? '').replace('NetiaStatus=Keyword', 'NetiaStatus=Text'),
      };
    },
  },
  {
    name: 'a worker that does not wait for migrations',
    expect: /worker-2: must wait for migrate/,
    mutate: (s) => {
      const worker = service(s, 'worker-2');
      const deps = worker.depends_on;
      if (isObject(deps)) {
        const { migrate: _dropped, ...rest } = deps;
        worker.depends_on = rest;
      }
    },
  },
  {
    name: 'a long-running service without restart policy',
    expect: /gateway-1 is long-running but has no restart policy/,
    mutate: (s) => void delete service(s, 'gateway-1').restart,
  },
  {
    name: 'a Temporal UI published on all interfaces',
    expect: /temporal-ui: port 8080 is published on all interfaces/,
    mutate: (s) => {
      service(s, 'temporal-ui').ports = ['8080:8080'];
    },
  },
  {
    name: 'a Temporal frontend published on all interfaces',
    expect: /temporal: port 7233 is published on all interfaces/,
    mutate: (s) => {
      service(s, 'temporal').ports = ['7233:7233'];
    },
  },
  {
    name: 'a gateway without the uploads volume',
    expect: /gateway-2: no volume mounted at UPLOAD_DIR/,
    mutate: (s) => void delete service(s, 'gateway-2').volumes,
  },
  {
    name: 'gateways storing uploads in different volumes',
    expect: /gateway-2: uploads mount uploads-2 is not a named volume|different places/,
    mutate: (s) => {
      service(s, 'gateway-2').volumes = ['uploads-2:/var/lib/netia/uploads'];
    },
  },
  {
    name: 'gateways with the default (image-local) upload folder',
    expect: /gateway-1: UPLOAD_DIR is not an absolute path/,
    mutate: (s) => {
      const gateway = service(s, 'gateway-1');
      const { UPLOAD_DIR: _dropped, ...rest } = environmentOf(gateway);
      gateway.environment = rest;
    },
  },
  {
    name: 'an app service without DATABASE_URL',
    expect: /worker-1: environment lacks DATABASE_URL/,
    mutate: (s) => {
      const worker = service(s, 'worker-1');
      const { DATABASE_URL: _dropped, ...rest } = environmentOf(worker);
      worker.environment = rest;
    },
  },
];

for (const mutation of MUTATIONS) {
  test(`the structural check rejects ${mutation.name}`, (t) => {
    const doc = structuredClone(loadInterpolated());
    const services = doc.services;
    if (!isObject(services)) return t.fail('no services');
    mutation.mutate(services);
    const problems = checkTopology(doc, scripts, dockerfile);
    t.true(
      problems.some((p) => mutation.expect.test(p)),
      `expected a problem matching ${String(mutation.expect)}, got ${JSON.stringify(problems)}`,
    );
  });
}

test('the Dockerfile check rejects a root image with another CMD', (t) => {
  const broken: DockerfileInfo = {
    ...dockerfile,
    user: undefined,
    cmd: ['node', 'bin/start.ts'],
    froms: ['node:latest'],
  };
  const problems = checkDockerfile(broken, scripts);
  t.true(problems.some((p) => /USER/.test(p)));
  t.true(problems.some((p) => /CMD/.test(p)));
  t.true(problems.some((p) => /FROM node:latest/.test(p)));
  t.true(
    checkDockerfile({ ...dockerfile, text: dockerfile.text.replace(/chown node:node \/var\/lib\/netia\/uploads/, '') }, scripts).some((p) =>
      /uploads/.test(p),
    ),
  );
});

test('the Temporal UI is reachable on localhost only, and both gateways share one writable uploads volume', (t) => {
  const doc = loadInterpolated();
  const services = doc.services;
  if (!isObject(services)) return t.fail('no services');
  const ui = services['temporal-ui'];
  t.true(isObject(ui));
  if (!isObject(ui)) return;
  t.deepEqual(publishedPortsOf(ui), [{ hostIp: '127.0.0.1', hostPort: '8233', containerPort: '8080' }]);
  const mounts = ['gateway-1', 'gateway-2'].map((name) => {
    const g = services[name];
    if (!isObject(g)) throw new Error(`no ${name}`);
    const dir = environmentOf(g).UPLOAD_DIR;
    return { dir, mount: mountsOf(g).find((m) => m.target === dir) };
  });
  t.is(mounts[0]?.dir, '/var/lib/netia/uploads');
  t.deepEqual(mounts[0], mounts[1], 'the same volume at the same UPLOAD_DIR');
  t.is(mounts[0]?.mount?.source, 'uploads');
  t.false(mounts[0]?.mount?.readOnly);
  t.true(isObject(doc.volumes) && 'uploads' in doc.volumes, 'uploads is a declared named volume');
});
