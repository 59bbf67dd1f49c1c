import { html, type Html, type HtmlValue } from '../report/html.js';

/**
 * The page shell: navigation, who is signed in, the logout form (POST with the CSRF token).
 * No inline script or style (the CSP forbids both): behaviour comes from /static/dashboard.js,
 * looks from /static/dashboard.css. Every value goes through the escaping `html` template.
 */

export interface PageUser {
  name: string;
  csrfToken: string;
  /** Local mode has no logout (there is nothing to log in with). */
  canLogout: boolean;
}

export type NavKey = 'overview' | 'cases' | 'evidence' | 'sites';

const NAV: [NavKey, string, string][] = [
  ['overview', '/', 'Overview'],
  ['cases', '/cases', 'Cases & alerts'],
  ['evidence', '/evidence', 'Evidence'],
  ['sites', '/sites', 'Sites'],
];

export function page(title: string, body: HtmlValue, opts: { user?: PageUser; nav?: NavKey } = {}): string {
  const u = opts.user;
  const doc = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — leakwatch</title>
<link rel="stylesheet" href="/static/dashboard.css"><script src="/static/dashboard.js" defer></script></head>
<body><header class="top"><span class="brand">leakwatch</span>${
    u
      ? html`<nav>${NAV.map(([k, href, label]) => html`<a href="${href}"${k === opts.nav ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>
<span class="who">signed in as <b>${u.name}</b>${
          u.canLogout ? html` <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${u.csrfToken}"><button type="submit" class="link">log out</button></form>` : ''
        }</span>`
      : ''
  }</header>
<main>${body}</main></body></html>`;
  return doc.value;
}

export function csrfField(user: PageUser): Html {
  return html`<input type="hidden" name="csrf" value="${user.csrfToken}">`;
}

/** A time shown in UTC; the script adds the local time as a tooltip. */
export function time(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="none">—</span>`;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return html`<time datetime="${iso}">${m ? `${m[1] as string} ${m[2] as string} UTC` : iso}</time>`;
}

export function badge(text: string, kind: string): Html {
  return html`<span class="badge b-${kind.replace(/[^a-z0-9-]/gi, '')}">${text}</span>`;
}

export function empty(text: string): Html {
  return html`<p class="empty">${text}</p>`;
}
