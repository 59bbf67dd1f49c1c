import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { esc, formatDate, html, type SimResponse, type SiteView } from '../html.js';
import { renderPostPage } from '../post-page.js';
import type { StyleModule } from './style.js';

/**
 * A site behind a DDoS queue with a captcha (LockBit/Clop front-ends): every request without
 * the pass cookie gets the queue page — HTTP 200, so only the content says what it is. With
 * the cookie (what a human gets after solving it; tests read it from `sim.queuePass()`), the
 * site is a plain table of victims. Definition: sites/sim/sim-queue.yaml.
 */

export const QUEUE_COOKIE = 'hcq_pass';

export function queuePassValue(seed: number, siteId: string): string {
  return createHash('sha256').update(`sim-queue-pass/${seed}/${siteId}`).digest('hex').slice(0, 32);
}

function hasPass(req: IncomingMessage, view: SiteView): boolean {
  const cookie = req.headers.cookie ?? '';
  return cookie.split(/;\s*/).includes(`${QUEUE_COOKIE}=${queuePassValue(view.seed, view.id)}`);
}

/** The queue / captcha page (also used for the `captcha` fault on other styles). */
export function queuePage(title: string, position = 37): SimResponse {
  return html(`<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>DDoS protection — ${esc(title)}</title>
</head>
<body>
  <div class="queue-box">
    <h1>Please wait</h1>
    <p>You are in the queue. Queue position: <b>${position}</b>. Estimated waiting time: 4 minutes.</p>
    <form class="captcha-form" method="post" action="/__queue/verify">
      <img id="captcha" src="/__queue/captcha.png" alt="captcha" width="200" height="60">
      <p>Enter the characters shown in the image to continue.</p>
      <input type="text" name="captcha" autocomplete="off">
      <button type="submit">Verify</button>
    </form>
  </div>
</body>
</html>
`);
}

export const queueStyle: StyleModule = {
  postPath: (post) => `/post/${post.slug}`,

  listingPage: (url) => (url.pathname === '/' ? 1 : undefined),

  gate(req, view) {
    return hasPass(req, view) ? undefined : queuePage(view.name);
  },

  renderListing(view) {
    const rows = view.posts.map((p) => `      <tr class="leak"><td class="name"><a href="${esc(p.path)}">${esc(p.title)}</a></td><td class="date">${formatDate(p.publishedAt, 'dmy-dot')}</td><td class="size">${esc(p.dataSizeText)}</td><td class="about">${esc(p.description)}</td></tr>`);
    return html(`<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>${esc(view.name)}</title></head>
<body>
  <h1>${esc(view.name)}</h1>
  <table class="leaks">
      <tr><th>Company</th><th>Date</th><th>Size</th><th>About</th></tr>
${rows.join('\n')}
  </table>
</body>
</html>
`);
  },

  async renderPost(view, post) {
    return html(await renderPostPage(view, post));
  },
};
