import { esc, fileSizes, html, sizeText, type SiteView } from '../html.js';
import type { SimPost } from '../types.js';
import type { StyleModule } from './style.js';

/**
 * A site that renders only with JavaScript: every page (`/`, `/leak/<slug>`) is the same empty
 * shell, and `/assets/app.js` carries the data base64-encoded and writes the DOM. A plain HTTP
 * fetch sees no victims at all (the extractor says "app shell, needs transport: browser").
 * Definition: sites/sim/sim-jsonly.yaml (transport: browser).
 */

export const APP_SCRIPT_PATH = '/assets/app.js';

function shell(view: SiteView): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(view.name)}</title>
  <script defer src="${APP_SCRIPT_PATH}"></script>
</head>
<body>
  <noscript>You need to enable JavaScript to run this app.</noscript>
  <div id="root"></div>
</body>
</html>
`;
}

async function siteData(view: SiteView): Promise<unknown> {
  const posts = await Promise.all(view.posts.map(async (p: SimPost) => {
    const sizes = await fileSizes(view, p.files);
    return {
      slug: p.slug, title: p.title, website: p.website, date: p.publishedAt.slice(0, 10), deadline: p.deadlineAt ?? null,
      size: p.dataSizeText, description: p.description, images: p.images.map((i) => i.path),
      files: p.files.map((f, i) => ({ name: f.name, path: f.path, size: sizeText(sizes[i] ?? 0) })),
    };
  }));
  return { name: view.name, posts };
}

/**
 * The client. NOW is the simulator's clock, not the browser's: countdowns then agree with the
 * other styles and stay deterministic. Written in ES5 so any engine (and node:vm) runs it.
 */
const CLIENT = String.raw`
  var bytes = Uint8Array.from(atob(DATA), function (c) { return c.charCodeAt(0); });
  var site = JSON.parse(new TextDecoder().decode(bytes));
  var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function timer(deadline) {
    if (!deadline) return '';
    var s = Math.floor((Date.parse(deadline) - NOW) / 1000);
    if (s <= 0) return '';
    var d = Math.floor(s / 86400); s -= d * 86400;
    var h = Math.floor(s / 3600); s -= h * 3600;
    var m = Math.floor(s / 60); s -= m * 60;
    return d + 'D ' + pad(h) + 'h ' + pad(m) + 'm ' + pad(s) + 's';
  }
  function card(p) {
    var t = timer(p.deadline);
    return '<div class="victim-card"><a class="victim-link" href="/leak/' + esc(p.slug) + '"><h3 class="victim-name">' + esc(p.title) + '</h3></a>' +
      '<div class="victim-date">' + esc(p.date) + '</div><div class="victim-size">' + esc(p.size) + '</div>' +
      '<p class="victim-desc">' + esc(p.description) + '</p>' + (t ? '<div class="victim-timer">' + t + '</div>' : '<div class="victim-published">published</div>') + '</div>';
  }
  function page(p) {
    return '<div class="leak-page"><h1 class="leak-name">' + esc(p.title) + '</h1><div class="leak-site">' + esc(p.website) + '</div>' +
      '<div class="leak-desc"><p>' + esc(p.description) + '</p></div>' +
      '<div class="leak-images">' + p.images.map(function (src) { return '<img src="' + esc(src) + '">'; }).join('') + '</div>' +
      '<ul class="leak-files">' + p.files.map(function (f) { return '<li><a class="leak-file" href="' + esc(f.path) + '">' + esc(f.name) + '</a> <span class="leak-size">' + esc(f.size) + '</span></li>'; }).join('') + '</ul></div>';
  }
  var root = document.getElementById('root');
  var m = /^\/leak\/([^\/]+)$/.exec(location.pathname);
  if (m) {
    var found = site.posts.filter(function (p) { return p.slug === decodeURIComponent(m[1]); })[0];
    root.innerHTML = found ? page(found) : '<h1>Not found</h1>';
    if (found) document.title = found.title + ' | ' + site.name;
  } else {
    root.innerHTML = '<div class="app"><h1 class="brand">' + esc(site.name) + '</h1><section class="victims">' + site.posts.map(card).join('') + '</section></div>';
  }
`;

export const jsOnlyStyle: StyleModule = {
  postPath: (post) => `/leak/${post.slug}`,

  listingPage: (url) => (url.pathname === '/' ? 1 : undefined),

  renderListing: (view) => html(shell(view)),

  renderPost: (view) => Promise.resolve(html(shell(view))),

  async extra(url, view) {
    if (url.pathname !== APP_SCRIPT_PATH) return undefined;
    const data = Buffer.from(JSON.stringify(await siteData(view)), 'utf8').toString('base64');
    const js = `(function () {\n  var NOW = ${view.now.getTime()};\n  var DATA = "${data}";\n${CLIENT}})();\n`;
    return { status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' }, body: js };
  },
};
