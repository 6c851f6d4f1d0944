/**
 * @module gateway/app
 * Assembles one gateway node: REST router and Phoenix socket on one uWS app,
 * plus the relay that subscribes this node to the bus topics its sockets joined
 * and publishes incoming events to them through uWS topics.
 */
import uWS from 'uWebSockets.js';
import type { GatewayContext } from './context.js';
import { createPresenceStore, type PresenceStore } from '../services/presence/index.js';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from '../services/ratelimit/index.js';
import { authenticateSocket, createChannels, type SocketAuth, type TopicRelay } from './channels/index.js';
import { AGENT_PRESENCE, EVENTS } from './protocol/index.js';
import { guardPublicRoute } from './widget-guard.js';
import { startMattermostRetry } from './mattermost-retry.js';
import { clientAddress } from './http/client-ip.js';
import { Router } from './http/router.js';
import { recordAuditEvent } from '../services/audit/index.js';
import { authRoutes } from './routes/auth.js';
import { browserSessionRoutes, publicBrowserSessionRoutes } from './routes/browser-sessions.js';
import { auditRoutes } from './routes/audit.js';
import { conversationListRoutes } from './routes/conversation-lists.js';
import { conversationRoutes } from './routes/conversations.js';
import { companyRoutes } from './routes/companies.js';
import { conversationDeleteRoutes } from './routes/conversation-delete.js';
import { conversationExtraRoutes, conversationSharedRoutes } from './routes/conversation-extras.js';
import { fileRoutes } from './routes/files.js';
import { gmailRoutes } from './routes/gmail.js';
import { crmRoutes } from './routes/crm.js';
import { customerRoutes } from './routes/customers.js';
import { accountRoutes } from './routes/accounts.js';
import { accountSecurityRoutes } from './routes/account-security.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { apiV1Routes } from './routes/api-v1.js';
import { aiTestRoutes } from './routes/ai-test.js';
import { copilotRoutes } from './routes/copilot.js';
import { businessContextRoutes } from './routes/business-context.js';
import { cannedResponseRoutes } from './routes/canned-responses.js';
import { customerRecordRoutes, publicCustomerRoutes } from './routes/customer-records.js';
import { eventSubscriptionRoutes } from './routes/event-subscriptions.js';
import { inboxRoutes } from './routes/inboxes.js';
import { devMailboxRoutes } from './routes/dev-mailbox.js';
import { invitationRoutes } from './routes/invitations.js';
import { inboundEmailRoutes } from './routes/inbound-email.js';
import { slackRoutes } from './routes/slack.js';
import { githubRoutes } from './routes/github.js';
import { twilioRoutes } from './routes/twilio.js';
import { mattermostRoutes } from './routes/mattermost.js';
import { issueRoutes } from './routes/issues.js';
import { metaRoutes } from './routes/meta.js';
import { noteRoutes } from './routes/notes.js';
import { scheduledMessageRoutes } from './routes/scheduled-messages.js';
import { onboardingRoutes } from './routes/onboarding.js';
import { openApiRoutes } from './routes/openapi.js';
import { pageFallback } from './routes/pages.js';
import { chainFallbacks, widgetPages } from './routes/widget-pages.js';
import { passwordResetRoutes } from './routes/password-reset.js';
import { reportingRoutes } from './routes/reporting.js';
import { csatRoutes } from './routes/csat.js';
import { slaRoutes } from './routes/sla.js';
import { automationRoutes } from './routes/automation.js';
import { searchRoutes } from './routes/search.js';
import { tagRoutes } from './routes/tags.js';
import { pushRoutes } from './routes/push.js';
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
  /** Who is online, across every node (services/presence). */
  readonly presence: PresenceStore;
}

export function createGateway(ctx: GatewayContext): Gateway {
  const app = uWS.App();
  const router = new Router({
    maxBodyBytes: ctx.config.http.maxBodyBytes,
    checkResponses: ctx.config.http.checkResponses,
    log: ctx.log,
    fallback: chainFallbacks(widgetPages(ctx), pageFallback(ctx)),
    trustedProxies: ctx.config.http.trustedProxies,
    audit: (record) => recordAuditEvent(ctx.pool, record),
  });
  // Shared by every node when the bus is Redis (per-IP limits must hold across nodes), else this process only.
  const isShared = ctx.bus.kind === 'redis' && ctx.config.redisUrl !== undefined;
  const limiter: RateLimiter = isShared ? createRedisRateLimiter(ctx.config.redisUrl!) : createMemoryRateLimiter();
  for (const route of [
    ...metaRoutes(),
    ...authRoutes(ctx),
    ...customerRoutes(ctx),
    // Before conversationRoutes: `/api/conversations/count` and `/shared` must not be taken by `/api/conversations/:id`.
    ...conversationListRoutes(ctx),
    ...searchRoutes(ctx),
    ...conversationSharedRoutes(ctx),
    ...conversationRoutes(ctx),
    ...conversationExtraRoutes(ctx),
    ...scheduledMessageRoutes(ctx),
    ...conversationDeleteRoutes(ctx),
    ...fileRoutes(ctx),
    ...accountSecurityRoutes(ctx),
    ...accountRoutes(ctx),
    ...userRoutes(ctx),
    ...pushRoutes(ctx),
    ...publicCustomerRoutes(ctx),
    ...customerRecordRoutes(ctx),
    ...tagRoutes(ctx),
    ...noteRoutes(ctx),
    ...cannedResponseRoutes(ctx),
    ...inboxRoutes(ctx),
    ...businessContextRoutes(ctx),
    ...aiTestRoutes(ctx, limiter),
    ...copilotRoutes(ctx, limiter),
    ...publicWidgetSettingsRoutes(ctx),
    ...widgetSettingsRoutes(ctx),
    ...apiKeyRoutes(ctx),
    ...invitationRoutes(ctx),
    ...passwordResetRoutes(ctx),
    ...devMailboxRoutes(ctx),
    ...eventSubscriptionRoutes(ctx),
    ...csatRoutes(ctx),
    ...slaRoutes(ctx),
    ...automationRoutes(ctx),
    ...reportingRoutes(ctx),
    ...gmailRoutes(ctx),
    ...crmRoutes(ctx),
    ...companyRoutes(ctx),
    ...issueRoutes(ctx),
    ...onboardingRoutes(ctx),
    ...slackRoutes(ctx),
    ...githubRoutes(ctx),
    ...twilioRoutes(ctx),
    ...mattermostRoutes(ctx),
    ...inboundEmailRoutes(ctx),
    ...apiV1Routes(ctx),
    ...auditRoutes(ctx),
    ...publicBrowserSessionRoutes(ctx),
    ...browserSessionRoutes(ctx),
    ...openApiRoutes(ctx, () => router.routes()),
  ]) {
    // Public widget routes get their rate limits, origin allow-list and identity checks (widget-guard.ts).
    router.add(guardPublicRoute(ctx, route, limiter));
  }

  const presence = createPresenceStore({
    ...(isShared ? { redisUrl: ctx.config.redisUrl } : {}),
    nodeId: ctx.nodeId,
    ttlMs: ctx.config.presence.ttlMs,
    maxMetasPerKey: ctx.config.presence.maxMetasPerKey,
    // Diffs go through the bus like every event, so each node relays them to its own sockets.
    publishDiff: (topic, diff) => ctx.bus.publish(topic, EVENTS.presenceDiff, diff),
    ...AGENT_PRESENCE,
    shareKey: ctx.bus,
    log: ctx.log,
  });
  presence.start();
  if (ctx.config.secretKeyBase === undefined) {
    ctx.log.info(
      'SECRET_KEY_BASE is unset: customer tokens are signed with a random key of this process (valid on this gateway until it restarts)',
    );
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

  const channels = createChannels(ctx, relay, presence);
  sockets = attachSocketServer<SocketAuth>(app, {
    authenticate: (params) => authenticateSocket(ctx, params),
    channels: channels.specs,
    admit: (session, topic, event) => channels.admit(session, topic, event),
    maxPayloadBytes: ctx.config.http.socketMaxFrameBytes,
    maxConnectionsPerIp: ctx.config.http.socketMaxConnectionsPerIp,
    maxTopicsPerSocket: ctx.config.http.socketMaxTopicsPerSocket,
    clientAddress: (peer, headers) => clientAddress(peer, headers['x-forwarded-for'], ctx.config.http.trustedProxies),
    onTopicIdle: release,
    log: (level, msg, fields) => ctx.log[level](msg, fields),
  });
  // Broadcasts published while this node's bus subscriber was down are lost: every socket catches up by seq (issue #16).
  const stopResync = ctx.bus.onReconnect(() => ctx.log.warn('bus reconnected: sockets told to rejoin', { channels: sockets?.resyncAll() }));
  // Mattermost replies claimed but not taken in (Mattermost never resends the webhook).
  const stopMattermostRetry = startMattermostRetry(ctx);
  // The REST router claims every other path; uWS matches the socket route first (more specific).
  router.mount(app);

  let listenSocket: uWS.us_listen_socket | undefined;
  return {
    router,
    sockets,
    presence,
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
      channels.stop();
      stopResync();
      stopMattermostRetry();
      sockets?.closeAll();
      // release() unsubscribes in the background and returns nothing, so there is nothing to await here.
      for (const topic of [...subscriptions.keys()]) release(topic);
      // After the sockets' leaves: removes what is left of this node's presence and publishes the leaves.
      await presence.close();
      await limiter.close();
      await channels.close();
      // Last, what is still open: idle keep-alive HTTP connections, which would otherwise hold the
      // process for the client's keep-alive time (about 4 s for Node's fetch) after everything else stopped.
      // uWS has App.close() (it closes every socket the app still holds); its typings do not declare it.
      (app as uWS.TemplatedApp & { close(): void }).close();
    },
  };
}
