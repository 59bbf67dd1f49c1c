import type { RegisterCommand } from '../context.js';
import { registerDemo } from './demo.js';
import { registerCrawl } from './crawl.js';
import { registerDaemon } from './daemon.js';
import { registerStatus } from './status.js';
import { registerFingerprint } from './fingerprint.js';
import { registerMatch } from './match.js';
import { registerRecords } from './records.js';
import { registerInit } from './init.js';
import { registerConfig } from './config.js';
import { registerSites } from './sites.js';
import { registerAlerts } from './alerts.js';
import { registerCases } from './cases.js';
import { registerAffected } from './affected.js';
import { registerKeys } from './keys.js';
import { registerEvidence } from './evidence.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';

/** Every top-level command, in the order `--help` lists them. */
export const COMMANDS: RegisterCommand[] = [
  registerDemo,
  registerFingerprint,
  registerRecords,
  registerMatch,
  registerCrawl,
  registerDaemon,
  registerStatus,
  registerInit,
  registerConfig,
  registerSites,
  registerAlerts,
  registerCases,
  registerAffected,
  registerKeys,
  registerEvidence,
  registerReport,
  registerServe,
];
