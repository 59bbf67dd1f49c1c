import { html } from '../../report/html.js';
import type { Reply, WebRequest } from '../context.js';
import { page } from '../layout.js';

/** Error pages: plain text, escaped, never a stack trace. */

export function notFound(r: Pick<WebRequest, 'user'> | undefined, message: string): Reply {
  return { kind: 'html', status: 404, body: page('Not found', html`<h1>Not found</h1><p>${message}</p>`, r ? { user: r.user } : {}) };
}

export function errorPage(status: number, title: string, message: string): Reply {
  return { kind: 'html', status, body: page(title, html`<h1>${title}</h1><p>${message}</p>`) };
}
