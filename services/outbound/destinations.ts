/**
 * @module services/outbound/destinations
 * Every outbound channel, by kind. Each integration adds its Destination here
 * (one line); `dispatchOutbound` asks each of them to plan jobs for committed
 * events, and the delivery activity looks the kind up to deliver a job.
 * Must not import: gateway, Temporal.
 */
import type { Destination } from './types.js';
import { slackDestination } from '../integrations/slack.js';
import { smsDestination } from '../integrations/sms.js';
import { gmailDestination } from '../gmail/destination.js';
import { webhookDestination } from '../webhooks/destination.js';
import { agentAlertDestination } from '../mail/alerts.js';

export const DESTINATIONS: readonly Destination[] = [
  slackDestination,
  smsDestination,
  gmailDestination,
  webhookDestination,
  agentAlertDestination,
];

export function destinationOf(kind: string): Destination | undefined {
  return DESTINATIONS.find((d) => d.kind === kind);
}
