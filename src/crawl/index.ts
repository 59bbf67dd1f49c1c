export { runCrawl, type CrawlSummary, type RunCrawlOptions } from './run-crawl.js';
export { crawlSite, REMOVE_AFTER_LOADS } from './crawl-site.js';
export { silentLogger, type CrawlDeps, type Logger, type MatchedSample, type SampleKeeper, type SiteRunResult, type SiteRunStatus } from './types.js';
