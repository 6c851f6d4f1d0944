/**
 * @module gateway/app
 * Assembles one gateway node: REST router and Phoenix socket on one uWS app,
 * plus the relay that subscribes this node to the bus topics its sockets joined
 * and publishes incoming events to them through uWS topics.
 */
import uWS from 'uWebSockets.js';
import type { GatewayContext } from './context.js';
import { authenticateSocket, createChannels, type SocketAuth, type TopicRelay } from './channels/index.js';
import { Router } from './http/router.js';
import { authRoutes } from './routes/auth.js';
import { conversationListRoutes } from './routes/conversation-lists.js';
import { conversationRoutes } from './routes/conversations.js';
import { customerRoutes } from './routes/customers.js';
import { accountRoutes } from './routes/accounts.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { apiV1Routes } from './routes/api-v1.js';
import { businessContextRoutes } from './routes/business-context.js';
import { cannedResponseRoutes } from './routes/canned-responses.js';
import { customerRecordRoutes, publicCustomerRoutes } from './routes/customer-records.js';
import { eventSubscriptionRoutes } from './routes/event-subscriptions.js';
import { inboxRoutes } from './routes/inboxes.js';
import { invitationRoutes } from './routes/invitations.js';
import { metaRoutes } from './routes/meta.js';
import { noteRoutes } from './routes/notes.js';
import { openApiRoutes } from './routes/openapi.js';
import { pageFallback } from './routes/pages.js';
import { passwordResetRoutes } from './routes/password-reset.js';
import { tagRoutes } from './routes/tags.js';
import { userRoutes } from './routes/users.js';
import { publicWidgetSettingsRoutes, widgetSettingsRoutes } from './routes/widget-settings.js';
import { attachSocketServer } from './socket/server.js';
import type { SocketServer } from './socket/types.js';

export interface Gateway {
  /** Start listening; resolves with the bound port (pass 0 for a free one). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
  readonly router: Router;
  readonly sockets: SocketServer;
}

export function createGateway(ctx: GatewayContext): Gateway {
  const app = uWS.App();
  const router = new Router({ maxBodyBytes: ctx.config.http.maxBodyBytes, log: ctx.log, fallback: pageFallback(ctx) });
  for (const route of [...metaRoutes(), ...authRoutes(ctx), ...customerRoutes(ctx),
    // Before conversationRoutes: `/api/conversations/count` must not be taken by `/api/conversations/:id`.
    ...conversationListRoutes(ctx), ...conversationRoutes(ctx),
    ...accountRoutes(ctx), ...userRoutes(ctx), ...publicCustomerRoutes(ctx), ...customerRecordRoutes(ctx), ...tagRoutes(ctx),
    ...noteRoutes(ctx), ...cannedResponseRoutes(ctx), ...inboxRoutes(ctx),
    ...businessContextRoutes(ctx), ...publicWidgetSettingsRoutes(ctx), ...widgetSettingsRoutes(ctx), ...apiKeyRoutes(ctx),
    ...invitationRoutes(ctx), ...passwordResetRoutes(ctx), ...eventSubscriptionRoutes(ctx),
    ...apiV1Routes(ctx), ...openApiRoutes(ctx, () => router.routes())]) {
    router.add(route);
  }

  // topic → unsubscribe function (or the pending subscription)
  const subscriptions = new Map<string, Promise<() => Promise<void>>>();
  let sockets: SocketServer | undefined;
  const relay: TopicRelay = {
    async ensure(topic) {
      let sub = subscriptions.get(topic);
      if (!sub) {
        sub = ctx.bus.subscribe(topic, (event, payload) => sockets?.broadcast(topic, event, payload as never));
        subscriptions.set(topic, sub);
        sub.catch(() => subscriptions.delete(topic));
      }
      await sub;
    },
  };
  const release = (topic: string): void => {
    const sub = subscriptions.get(topic);
    if (!sub) return;
    subscriptions.delete(topic);
    sub.then((unsubscribe) => unsubscribe()).catch((err: unknown) => ctx.log.warn('bus unsubscribe failed', { topic, err }));
  };

  sockets = attachSocketServer<SocketAuth>(app, {
    authenticate: (params) => authenticateSocket(ctx, params),
    channels: createChannels(ctx, relay),
    maxPayloadBytes: ctx.config.http.socketMaxFrameBytes,
    onTopicIdle: release,
    log: (level, msg, fields) => ctx.log[level](msg, fields),
  });
  // The REST router claims every other path; uWS matches the socket route first (more specific).
  router.mount(app);

  let listenSocket: uWS.us_listen_socket | undefined;
  return {
    router,
    sockets,
    listen(port, host = ctx.config.http.host) {
      return new Promise((resolve, reject) => {
        app.listen(host, port, (socket) => {
          if (!socket) {
            reject(new Error(`gateway could not listen on ${host}:${port}`));
            return;
          }
          listenSocket = socket;
          resolve(uWS.us_socket_local_port(socket));
        });
      });
    },
    async close() {
      if (listenSocket) uWS.us_listen_socket_close(listenSocket);
      listenSocket = undefined;
      sockets?.closeAll();
      // release() unsubscribes in the background and returns nothing, so there is nothing to await here.
      for (const topic of [...subscriptions.keys()]) release(topic);

    },
  };
}
