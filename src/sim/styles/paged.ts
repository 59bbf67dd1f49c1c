import { esc, excerptOf, formatDate, html, nginxError, pageCount, pageSlice, type SiteView } from '../html.js';
import { renderPostPage } from '../post-page.js';
import type { SimPost } from '../types.js';
import { pageParam, type StyleModule } from './style.js';

/**
 * A card grid spread over pages: `/victims` is page 1, `/victims?page=N` page N, with numbered
 * links and a "next" link; pages past the last are 404s. Deadlines are printed dates, not
 * countdowns. Definition: sites/sim/sim-paged.yaml (follows the next link).
 */

function card(post: SimPost): string {
  const deadline = post.deadlineAt ? `<span class="card-deadline">Deadline: ${formatDate(post.deadlineAt, 'dmy-slash-hm')} UTC</span>` : '';
  return `      <div class="card" data-id="${post.id}">
        <a class="card-link" href="${esc(post.path)}"><div class="card-title">${esc(post.title)}</div></a>
        <div class="card-domain">${esc(post.website)}</div>
        <div class="card-text">${esc(excerptOf(post.description, 200))}</div>
        <div class="card-footer"><span class="card-date">${formatDate(post.publishedAt, 'mdy-name')}</span> <span class="card-size">Size: ${esc(post.dataSizeText)}</span> ${deadline}</div>
      </div>`;
}

function pager(page: number, pages: number): string {
  const links: string[] = [];
  if (page > 1) links.push(`<a class="prev" href="/victims?page=${page - 1}">« Prev</a>`);
  for (let p = 1; p <= pages; p++) links.push(p === page ? `<span class="current">${p}</span>` : `<a class="page" href="/victims?page=${p}">${p}</a>`);
  if (page < pages) links.push(`<a class="next" href="/victims?page=${page + 1}">Next »</a>`);
  return `    <div class="pagination">${links.join(' ')}</div>`;
}

export const pagedStyle: StyleModule = {
  postPath: (post) => `/victims/${post.slug}`,

  listingPage: (url) => (url.pathname === '/victims' || url.pathname === '/victims/' ? pageParam(url) : undefined),

  renderListing(view: SiteView, page: number) {
    const pages = pageCount(view.posts.length, view.postsPerPage);
    if (page > pages) return nginxError(404);
    return html(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${esc(view.name)} — victims, page ${page}</title>
</head>
<body>
  <div class="top"><a class="logo" href="/victims">${esc(view.name)}</a><span class="motto">We keep our promises.</span></div>
  <div class="container">
    <h2>Victims (page ${page} of ${pages})</h2>
    <div class="victims">
${pageSlice(view.posts, view.postsPerPage, page).map(card).join('\n')}
    </div>
${pager(page, pages)}
  </div>
</body>
</html>
`);
  },

  async renderPost(view, post) {
    return html(await renderPostPage(view, post));
  },

  extra(url) {
    // Visitors land on `/`; the listing lives under /victims.
    if (url.pathname === '/') return { status: 302, headers: { location: '/victims' }, body: '' };
    return undefined;
  },
};
