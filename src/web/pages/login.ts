import { html } from '../../report/html.js';
import { page } from '../layout.js';

/** The login form. `next` is a same-site path only (checked by the caller). */
export function loginPage(opts: { next: string; error?: string; retryAfterS?: number }): string {
  return page(
    'Sign in',
    html`<section class="login"><h1>Sign in</h1>
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${opts.next}">
<label>User <input name="user" autocomplete="username" required maxlength="64" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="1024"></label>
<button type="submit">Sign in</button></form>
<p class="hint">Sessions live in the server's memory: restarting <code>leakwatch serve</code> signs everyone out.</p></section>`,
  );
}

/** Only local absolute paths: "/cases/3", never "//evil.example" or "https://…". */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}
