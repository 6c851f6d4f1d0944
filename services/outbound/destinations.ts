/**
 * @module services/outbound/destinations
 * Every outbound channel, by kind. `createDestinations(settings)` builds them
 * with the settings the entry point parsed (bin/worker.ts, bin/gateway.ts;
 * CONTRIBUTING.md#configuration): no destination reads settings of its own.
 * Each integration adds its factory here (one line); `dispatchOutbound` asks
 * each destination to plan jobs for committed events, and the delivery
 * activity looks the kind up (`destinationOf`) to deliver a job.
 * Must not import: gateway, Temporal.
 */
import type { Destination } from './types.js';
import { createEmailDestination } from '../email-channel/destination.js';
import type { FileStorage } from '../files/storage.js';
import { createCsatDestination, type CsatDestinationSettings } from '../csat/destination.js';
import type { GmailSettings } from '../gmail/config.js';
import { createGmailDestination } from '../gmail/destination.js';
import type { IntegrationSettings } from '../integrations/config.js';
import { createSlackDestination } from '../integrations/slack.js';
import { createSmsDestination } from '../integrations/sms.js';
import { createGithubDestination } from '../integrations/github.js';
import { createCrmDestination } from '../integrations/crm/sync.js';
import { createMattermostDestination } from '../integrations/mattermost.js';
import { createAgentAlertDestination, type AlertMail } from '../mail/alerts.js';
import type { PushSettings } from '../push/config.js';
import { createPushDestination } from '../push/destination.js';
import { createExpoPushDestination } from '../push/expo.js';
import type { WebhookSettings } from '../webhooks/config.js';
import { createWebhookDestination } from '../webhooks/destination.js';

export interface DestinationSettings {
  /** Slack, Twilio and Mattermost (services/integrations/config.ts). */
  integrations: IntegrationSettings;
  /** Outgoing webhooks: reachable networks, the signing-secret key (services/webhooks/config.ts). */
  webhooks: WebhookSettings;
  /** Gmail replies; absent or off: they are planned and their delivery fails UNAVAILABLE (retried). */
  gmail?: GmailSettings;
  /** Agents' email alerts; absent (a process that sends no mail): none are planned. */
  mail?: AlertMail;
  /** Web Push to agents' devices; absent (a gateway, which plans no message events): none are planned. */
  push?: PushSettings;
  /** Where the files of email replies are read from (the worker's); absent: they are sent as links. */
  files?: FileStorage;
  /** Satisfaction surveys: the survey delay's minute and the starter of survey workflows (absent: planned, not startable). */
  csat?: CsatDestinationSettings;
}

export function createDestinations(settings: DestinationSettings): readonly Destination[] {
  return [
    createSlackDestination(settings.integrations),
    createSmsDestination(settings.integrations),
    createGmailDestination(settings.gmail, settings.files, settings.integrations),
    createWebhookDestination(settings.webhooks),
    createAgentAlertDestination(settings.mail),
    createPushDestination(settings.push),
    createExpoPushDestination(settings.push),
    createEmailDestination({ mail: settings.mail, integrations: settings.integrations, files: settings.files }),
    createCsatDestination(settings.csat),
    createGithubDestination(settings.integrations),
    createCrmDestination(settings.integrations),
    createMattermostDestination(settings.integrations),
  ];
}

export function destinationOf(destinations: readonly Destination[], kind: string): Destination | undefined {
  return destinations.find((d) => d.kind === kind);
}
