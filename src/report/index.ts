/**
 * The legal report of a case (`leakwatch report`): timeline, exposure, evidence packages,
 * screenshots, independent verification and a draft notice, as self-contained HTML or PDF.
 */
export type { ReportCapture, ReportCustodyLog, ReportData, ReportExposedDocument, ReportKey, ReportMatch, ReportPackage, ReportSample, TimestampStatus } from './types.js';
export { buildReport } from './build-report.js';
export { collectReportData, type CollectOptions } from './collect.js';
export { renderPdf, type RenderPdfOptions } from './render-pdf.js';
export { defaultReportName, exportReport, type ExportedReport, type ExportReportOptions, type ReportFormat } from './export-report.js';
