import { esc, html, pageCount, pageSlice, type SiteView } from '../html.js';
import { renderPostPage } from '../post-page.js';
import type { SimPost } from '../types.js';
import { pageParam, type StyleModule } from './style.js';

/**
 * A JSON-API-backed site (Akira/Nokoyawa-like): `/` is an app shell whose script fetches
 * `/api/v1/leaks?page=N`; post pages `/leak/<id>` are server-rendered. Past the last page the
 * endpoint returns an empty list. Definition: sites/sim/sim-api.yaml (api mode, {page}).
 */

export const API_PATH = '/api/v1/leaks';

function item(post: SimPost): Record<string, unknown> {
  return {
    id: post.id,
    company: { name: post.title, website: post.website },
    disclosed_at: post.publishedAt,
    deadline: post.deadlineAt ?? null,
    size: post.dataSizeText,
    summary: post.description,
    url: post.path,
    files: post.files.length,
  };
}

const SHELL = (view: SiteView): string => `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${esc(view.name)}</title>
  <script type="module" src="/static/app.js"></script>
</head>
<body>
  <noscript>This site requires JavaScript.</noscript>
  <div id="app"></div>
</body>
</html>
`;

const APP_JS = `// Loads the leak list from the API and renders it.
const app = document.getElementById('app');
async function load(page) {
  const res = await fetch('${API_PATH}?page=' + page);
  const json = await res.json();
  app.innerHTML = json.data.items.map((it) => '<div class="leak"><a href="' + it.url + '">' + it.company.name + '</a></div>').join('');
}
load(new URLSearchParams(location.search).get('page') || 1);
`;

export const apiStyle: StyleModule = {
  postPath: (post) => `/leak/${post.id}`,

  listingPage: (url) => (url.pathname === API_PATH ? pageParam(url) : undefined),

  renderListing(view, page) {
    const pages = pageCount(view.posts.length, view.postsPerPage);
    const body = {
      status: 'ok',
      data: { page, pages, total: view.posts.length, items: pageSlice(view.posts, view.postsPerPage, page).map(item) },
    };
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  },

  async renderPost(view, post) {
    return html(await renderPostPage(view, post));
  },

  extra(url, view) {
    if (url.pathname === '/') return html(SHELL(view));
    if (url.pathname === '/static/app.js') return { status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' }, body: APP_JS };
    return undefined;
  },
};
