/**
 * @module services/push
 * Web Push to agents' devices (issue #17 item 5): settings and VAPID keys,
 * the subscriptions agents register per browser, the SSRF-guarded sender and
 * the outbound destination that alerts them. docs/architecture.md#web-push.
 * Must not import: gateway, Temporal.
 */
export { loadPushSettings, type PushSettings } from './config.js';
export { vapidKeys, type VapidKeys } from './keys.js';
export { endpointProblem, isLoopbackHost } from './endpoint.js';
export { sendPush, type PushOutcome, type PushTarget } from './send.js';
export {
  deletePushSubscription,
  listPushSubscriptions,
  presentPushSubscription,
  upsertPushSubscription,
  ZPushSubscriptionInput,
  type PushSubscriptionRow,
} from './subscriptions.js';
export {
  createExpoPushDestination,
  deliverExpoPush,
  EXPO_PUSH_KIND,
  isExpoPushToken,
  planExpoPushJobs,
  pollExpoReceipts,
  type ExpoDeliverySummary,
  type ExpoReceiptSummary,
} from './expo.js';
export { alertKindOf, createPushDestination, deliverPush, planPushJobs, pushPayload, PUSH_KIND } from './destination.js';
