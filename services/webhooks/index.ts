/**
 * @module services/webhooks
 * Outgoing webhooks (event subscriptions, issue #8): the outbound Destination
 * (planning and signed, logged delivery), the verification handshake, the
 * signature scheme and the delivery log. Subscriptions themselves (CRUD,
 * signing secrets) are in services/event-subscriptions.
 * Must not import: gateway, Temporal.
 */
export {
  WEBHOOK_EVENTS,
  WEBHOOK_KIND,
  createWebhookDestination,
  webhookJobId,
  isSubscribed,
  describeEvent,
  type WebhookEvent,
} from './destination.js';
export { runHandshake, verifySubscription, generateChallenge, VERIFY_EVENT, type VerificationResult } from './verify.js';
export { loadWebhookSettings, type WebhookSettings } from './config.js';
export { BlockedAddressError, guardedLookup, isPublicAddress, UNREACHABLE, type NetworkPolicy, type Resolver } from './network.js';
export { postJson } from './http.js';
export { signPayload, signedContent, signedHeaders, verifySignature, WEBHOOK_HEADERS, SIGNATURE_VERSION } from './signing.js';
export {
  DELIVERY_STATUSES,
  MAX_DELIVERY_PAGE,
  decodeDeliveryCursor,
  listDeliveries,
  presentDelivery,
  type DeliveryStatus,
  type WebhookDeliveryRow,
} from './deliveries.js';
