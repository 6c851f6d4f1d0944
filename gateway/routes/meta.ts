/**
 * @module gateway/routes/meta
 * Health and meta routes.
 */
import type { Route } from '../http/router.js';
import { data, ok } from './define.js';
import { pingSchema } from '../protocol/wire/index.js';

export function metaRoutes(): Route[] {
  const ping: Route['handler'] = (req) =>
    Promise.resolve({
      body: {
        data: {
          message: 'Pong!',
          params: { ...Object.fromEntries(req.query), ...(typeof req.body === 'object' && req.body !== null ? req.body : {}) },
        },
      },
    });
  return [
    {
      method: 'GET',
      path: '/api/ping',
      auth: 'public',
      cors: true,
      summary: 'Health check; echoes its parameters',
      response: ok(data(pingSchema)),
      handler: ping,
    },
    {
      method: 'POST',
      path: '/api/ping',
      auth: 'public',
      cors: true,
      summary: 'Health check; echoes its parameters',
      response: ok(data(pingSchema)),
      handler: ping,
    },
  ];
}
