import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LeakwatchConfig } from '../config/index.js';
import type { WebSettings } from '../config/schema.js';
import type { AlertStore } from '../store/alert-store.js';
import type { AccessRecorder } from './custody-access.js';
import type { PageUser } from './layout.js';
import type { Session } from './sessions.js';

/** What every page handler gets: the shared services, and the request it answers. */

export interface WebContext {
  config: LeakwatchConfig;
  web: WebSettings;
  dataDir: string;
  store: AlertStore;
  access: AccessRecorder;
  clock: () => Date;
  /** Pinned TSA certificate for checking packages' RFC 3161 replies. */
  tsaCertPath?: string;
  /** Chromium for PDF reports. */
  chromiumPath?: string;
  signal: AbortSignal;
}

export interface WebRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Groups captured by the route pattern, URL-decoded. */
  params: string[];
  user: PageUser;
  session: Session;
  /** The parsed body of a POST (its CSRF token already checked). */
  form?: URLSearchParams;
}

export type Reply =
  | { kind: 'html'; status?: number; body: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'bytes'; status?: number; contentType: string; body: Buffer; csp?: string; downloadName?: string };

export type Handler = (ctx: WebContext, r: WebRequest) => Promise<Reply> | Reply;

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: Handler;
}
