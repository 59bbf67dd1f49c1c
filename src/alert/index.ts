/**
 * Alerts: what the crawler and daemon call. See docs/alerts.md.
 *
 *   raiseAlerts / raiseAlertsForSample  after a sample's matches are stored (inside no
 *                                       other transaction needed: it opens its own)
 *   deliverPending                      after a crawl run, and on the daemon's timer
 *   runDeliveryLoop                     that timer: a pass every intervalMs until aborted
 *   createChannels / alertPolicy        from the config's `alerts` section
 */
export { raiseAlerts, raiseAlertsForSample, matchesFromResults, DEFAULT_ALERT_POLICY } from './raise.js';
export { deliverPending, type DeliverOptions, type DeliverySummary } from './outbox.js';
export { runDeliveryLoop } from './delivery-loop.js';
export { alertPolicy, closeChannels, createChannel, createChannels, retryPolicyOf, type ChannelDeps } from './from-config.js';
export { loadAlertSettings, type AlertSettingsResult } from './settings.js';
export { severityOf, DEFAULT_SEVERITY_RULE } from './severity.js';
export { backoffDelayMs, type RetryPolicy } from './backoff.js';
export { systemAlertClock, type AlertClock } from './clock.js';
export { createAlertLogger, silentLogger, type AlertLogger } from './logger.js';
export { createRedactor, type Redactor } from './redact.js';
export { buildNotification, headline, notificationId, plainText } from './notification.js';
export { caseDetail, listCases, type CaseDetail, type CaseSummary } from './case-queries.js';
export { attemptsForAlert, listOutbox, requeue, type DeliveryAttempt, type OutboxItem, type OutboxStatus } from './outbox-store.js';
export { DeliveryError, type AlertChannel, type DeliveryReceipt } from './channels/channel.js';
export { WebhookChannel } from './channels/webhook.js';
export { SlackChannel, slackMessage } from './channels/slack.js';
export { EmailChannel, emailMessage } from './channels/email.js';
export { LogChannel } from './channels/log.js';
export { SIGNATURE_HEADER, ID_HEADER, signatureHeader, verifySignature } from './channels/signature.js';
export { AlertStore } from '../store/alert-store.js';
export * from './types.js';
