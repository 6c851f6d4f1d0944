/**
 * @module activities/csat
 * The satisfaction survey's one activity (workflows/csat): check that the resolution still
 * stands and store its survey (services/csat `offerSurvey`, idempotent per conversation and
 * close), then send it: a `csat:offered` event on the conversation's topic for chats (the widget
 * shows it; it also finds open surveys when it loads), or an email with one link per score for
 * email and SMS conversations (`sendOnce`, keyed `csat:<survey id>`). SMS conversations are
 * surveyed by email when the customer has an address (no SMS survey yet).
 * Must not import: gateway/ (beyond protocol), workflows/.
 */
import type { DatabasePool } from 'slonik';
import type { Bus } from '../services/bus/index.js';
import { loadCsatConfig, offerSurvey, presentSurvey, surveyEmail, type CsatConfig } from '../services/csat/index.js';
import type { Logger } from '../services/log.js';
import { mailTransportGetter, sendOnce, type AnyMailTransport, type MailSettings } from '../services/mail/index.js';
import { conversationTopic, EVENTS } from '../gateway/protocol/index.js';
import { adapt } from './adapt.js';

export interface CsatActivityDeps {
  pool: DatabasePool;
  bus: Bus;
  log: Logger;
  mail: MailSettings;
  transport?: AnyMailTransport;
  /** Rating window, link signing and base URL (services/csat/config.ts); absent: the defaults. */
  csat?: CsatConfig;
}

export interface OfferCsatSurveyInput {
  accountId: string;
  conversationId: string;
  closedAtMs: number;
}

/** Used when neither CSAT nor mail names a public URL (development): the default listen address. */
const FALLBACK_BASE_URL = 'http://localhost:4000';

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createCsatActivities>` (docs/architecture.md#activities).
export function createCsatActivities(deps: CsatActivityDeps) {
  const { pool, bus, mail } = deps;
  const csat = deps.csat ?? loadCsatConfig({});
  const log = deps.log.child({ component: 'csat' });
  const mailTransport = mailTransportGetter(mail, deps.transport);

  return {
    offerCsatSurvey: async (input: OfferCsatSurveyInput): Promise<{ status: 'offered' | 'skipped'; reason?: string; surveyId?: string }> =>
      adapt(async () => {
        const result = await offerSurvey(pool, { ...input, ratingWindowMs: csat.ratingWindowMs });
        if (result.status === 'skipped') {
          log.info('survey not offered', { conversationId: input.conversationId, reason: result.reason });
          return { status: 'skipped', reason: result.reason };
        }
        const { survey } = result;
        const presented = presentSurvey(survey, csat.secretKeyBase);
        if (survey.channel === 'widget') {
          await bus.publish(conversationTopic(survey.conversation_id), EVENTS.csatOffered, presented);
        } else {
          const tx = mailTransport();
          if (!tx || !result.customerEmail) return { status: 'skipped', reason: 'mail_disabled', surveyId: survey.id };
          const content = surveyEmail({
            companyName: survey.company_name,
            question: survey.question,
            scale: survey.scale,
            baseUrl: csat.publicUrl ?? mail.publicUrl ?? FALLBACK_BASE_URL,
            token: presented.token,
          });
          await sendOnce(pool, tx, {
            idempotencyKey: `csat:${survey.id}`,
            accountId: survey.account_id,
            conversationId: survey.conversation_id,
            kind: 'csat_survey',
            to: [result.customerEmail],
            from: { name: survey.company_name, address: mail.from.address },
            ...content,
          });
        }
        log.info('survey offered', { conversationId: input.conversationId, surveyId: survey.id, channel: survey.channel });
        return { status: 'offered', surveyId: survey.id };
      }),
  };
}

export type CsatActivities = ReturnType<typeof createCsatActivities>;
