/**
 * `GET /api/openapi.json` lists exactly the routes the router serves (compared
 * both ways), and describes bodies, query and path parameters and security from
 * the same zod schemas the routes validate with.
 */
import { openApiPath } from '../../../gateway/routes/openapi.js';
import { api, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

const test = sharedModuleTest<{ stack: Stack; api: Api; doc: any }>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  const res = await http.get('/api/openapi.json');
  if (res.status !== 200) throw new Error(`openapi.json: ${res.status}`);
  return { stack, api: http, doc: res.body };
});

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

test('the document lists exactly the routes of the router, both ways', (t) => {
  const { stack, doc } = t.context;
  t.is(doc.openapi, '3.1.0');
  const served = stack.gateway.router.routes().map((r) => `${r.method} ${openApiPath(r.path)}`);
  t.is(new Set(served).size, served.length, `no route is registered twice: ${served.filter((s, i) => served.indexOf(s) !== i).join(', ')}`);
  const documented: string[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of Object.keys(item)) {
      t.true(METHODS.includes(method), `${path}: ${method} is an HTTP method`);
      documented.push(`${method.toUpperCase()} ${path}`);
    }
  }
  const missing = served.filter((r) => !documented.includes(r));
  const extra = documented.filter((r) => !served.includes(r));
  t.deepEqual(missing, [], 'served but not documented');
  t.deepEqual(extra, [], 'documented but not served');
  t.true(documented.includes('GET /api/openapi.json'));
  t.true(documented.includes('PUT /api/users/{id}/role'));
  t.true(documented.includes('GET /api/v1/customers/{id}'));
});

test('every operation declares its path parameters, a summary and a unique operationId', (t) => {
  const { doc } = t.context;
  const ids = new Set<string>();
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries<any>(item)) {
      t.truthy(op.summary, `${method} ${path}: summary`);
      t.false(ids.has(op.operationId), `${method} ${path}: operationId ${op.operationId} is unique`);
      ids.add(op.operationId);
      const declared = op.parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name);
      t.deepEqual(declared, names, `${method} ${path}: path parameters`);
      t.truthy(op.responses, `${method} ${path}: responses`);
    }
  }
});

test('bodies, query parameters, security and admin gating come from the route metadata', (t) => {
  const { doc } = t.context;
  const tag = doc.paths['/api/tags/{id}'].put;
  const inner = tag.requestBody.content['application/json'].schema.properties.tag;
  t.deepEqual(Object.keys(inner.properties).sort(), ['color', 'description', 'name']);
  t.is(inner.properties.name.maxLength, 255);
  t.deepEqual(tag.security, [{ sessionToken: [] }]);
  t.is(tag.parameters[0].schema.format, 'uuid');

  const create = doc.paths['/api/tags'].post.requestBody.content['application/json'].schema;
  t.deepEqual(create.required, ['tag']);
  t.deepEqual(create.properties.tag.required, ['name']);

  const list = doc.paths['/api/customers'].get;
  const names = list.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name);
  for (const n of ['page', 'page_size', 'limit', 'email', 'external_id', 'include_anonymous', 'q', 'tag_ids', 'format'])
    t.true(names.includes(n), `customers query ${n}`);

  const role = doc.paths['/api/users/{id}/role'].put;
  t.is(role['x-admin-only'], true);
  t.deepEqual(role.requestBody.content['application/json'].schema.properties.role.enum, ['user', 'admin']);
  t.is(role.parameters[0].schema.type, 'integer');
  t.truthy(role.responses['403']);

  t.deepEqual(doc.paths['/api/v1/customers'].get.security, [{ personalApiKey: [] }]);
  t.deepEqual(doc.paths['/api/customers/{id}/exists'].get.security, [{}, { customerToken: [] }, { sessionToken: [] }]);
  t.deepEqual(doc.paths['/api/widget_settings'].get.security, []);
  t.deepEqual(doc.paths['/api/me'].get.security, [{ sessionToken: [] }], 'foundation routes are documented too');
  t.deepEqual(doc.paths['/api/customers'].post.security, [{}, { sessionToken: [] }]);
  const context = doc.paths['/api/business_context'].put.requestBody.content['application/json'].schema;
  t.is(context.properties.business_context.properties.scheduling_link.anyOf[0].pattern, '^https?:\\/\\/.+');
  t.deepEqual(context.properties.business_context.properties.scheduling_link.anyOf[1], { type: 'null' });
  t.truthy(doc.components.securitySchemes.sessionToken);
  t.truthy(doc.components.schemas.Error);
});

test('the document is served to any origin as JSON', async (t) => {
  const res = await fetch(`${t.context.stack.baseUrl}/api/openapi.json`, { headers: { origin: 'https://docs.example' } });
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /application\/json/);
  t.is(res.headers.get('access-control-allow-origin'), 'https://docs.example');
});

test('every operation declares its success response: a 2xx with a body schema, or an explicit 204 or redirect', (t) => {
  const { doc } = t.context;
  const refs: string[] = [];
  const collectRefs = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collectRefs);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v))
        if (k === '$ref' && typeof x === 'string') refs.push(x);
        else collectRefs(x);
    }
  };
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      t.false('default' in op.responses, `${where}: no catch-all default response`);
      const success = Object.entries<any>(op.responses).filter(([status]) => /^[23]\d\d$/.test(status));
      t.true(success.length > 0, `${where}: declares a success response`);
      for (const [status, response] of success) {
        if (status === '204') t.is(response.content, undefined, `${where}: 204 has no body`);
        else if (status.startsWith('3')) t.truthy(response.headers?.Location, `${where}: ${status} says where it redirects`);
        else {
          const content = Object.values<any>(response.content ?? {});
          t.true(content.length > 0 && content.every((c) => c.schema), `${where}: ${status} has a body schema`);
        }
      }
      collectRefs(op.responses);
    }
  }
  collectRefs(doc.components.schemas);
  for (const ref of new Set(refs)) t.truthy(doc.components.schemas[ref.replace('#/components/schemas/', '')], `${ref} resolves`);
  const message = doc.components.schemas.Message;
  t.true(message.required.includes('seq'));
  t.deepEqual(message.properties.user.anyOf, [{ $ref: '#/components/schemas/User' }, { type: 'null' }]);
  t.false(message.required.includes('customer'), 'a message of an agent has no customer key');
  t.deepEqual(doc.paths['/api/messages/{id}'].get.responses['200'].content['application/json'].schema.properties.data, {
    $ref: '#/components/schemas/Message',
  });
  t.truthy(doc.paths['/api/tags/{id}'].delete.responses['204']);
});

test('the creation routes and agent sends that take an Idempotency-Key say so, and no other route does', (t) => {
  const { doc } = t.context;
  const withKey: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(methods)) {
      if ((op.parameters ?? []).some((p: any) => p.in === 'header' && p.name === 'Idempotency-Key')) withKey.push(`${method} ${path}`);
    }
  }
  t.deepEqual(withKey.sort(), [
    'post /api/conversations',
    'post /api/customers',
    'post /api/gmail/send',
    'post /api/slack/notify',
    'post /api/twilio/send',
    'post /api/v1/conversations',
    'post /api/v1/customers',
    'post /api/v1/gmail/send',
    'post /api/v1/slack/notify',
    'post /api/v1/twilio/send',
  ]);
});
