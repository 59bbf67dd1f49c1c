import type { Route } from './context.js';
import { ackAlert, caseDetailPage } from './pages/case-detail.js';
import { casesPage } from './pages/cases.js';
import { packageDownload, reportDownload } from './pages/downloads.js';
import { capturedPage, evidenceListPage, evidencePage, screenshotImage } from './pages/evidence.js';
import { overviewPage } from './pages/overview.js';
import { sitePage, sitesPage, siteTestPage } from './pages/sites.js';

/**
 * Every authenticated route. GETs only read (an evidence view or download appends to the
 * custody log, which records the read); the one state-changing action is a POST.
 */
const PKG = '([A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.wacz)';
const SITE = '([a-z0-9][a-z0-9-]{0,63})';

export const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/$/, handler: overviewPage },
  { method: 'GET', pattern: /^\/cases$/, handler: casesPage },
  { method: 'GET', pattern: /^\/cases\/(\d{1,12})$/, handler: caseDetailPage },
  { method: 'GET', pattern: /^\/cases\/(\d{1,12})\/report\.(html|pdf)$/, handler: reportDownload },
  { method: 'POST', pattern: /^\/alerts\/(\d{1,12})\/ack$/, handler: ackAlert },
  { method: 'GET', pattern: /^\/evidence$/, handler: evidenceListPage },
  { method: 'GET', pattern: new RegExp(`^/evidence/${PKG}$`), handler: evidencePage },
  { method: 'GET', pattern: new RegExp(`^/evidence/${PKG}/screenshot\\.png$`), handler: screenshotImage },
  { method: 'GET', pattern: new RegExp(`^/evidence/${PKG}/page$`), handler: capturedPage },
  { method: 'GET', pattern: new RegExp(`^/evidence/${PKG}/download$`), handler: packageDownload },
  { method: 'GET', pattern: /^\/sites$/, handler: sitesPage },
  { method: 'GET', pattern: new RegExp(`^/sites/${SITE}$`), handler: sitePage },
  { method: 'GET', pattern: new RegExp(`^/sites/${SITE}/test$`), handler: siteTestPage },
];
