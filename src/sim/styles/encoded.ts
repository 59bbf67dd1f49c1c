import { countdownText, esc, formatDate, type SimResponse, type SiteView } from '../html.js';
import { encodeLegacy, type LegacyCharset } from '../legacy-encoding.js';
import { labelsFor, renderPostPage } from '../post-page.js';
import type { SimPost } from '../types.js';
import type { StyleModule } from './style.js';

/**
 * Sites in legacy charsets: a Russian-language blog in windows-1251 and a German one in
 * ISO-8859-1, each declared only by `<meta>` (the Content-Type has no charset, as on many
 * hand-configured servers). The latin1 listing also carries a footer pasted in as UTF-8 bytes —
 * mixed encodings on one page, which decode as mojibake without breaking the victims.
 * Definitions: sites/sim/sim-cp1251.yaml, sites/sim/sim-latin1.yaml.
 */

function encoded(text: string, charset: LegacyCharset, rawUtf8Tail = ''): SimResponse {
  const body = Buffer.concat([encodeLegacy(text, charset), Buffer.from(rawUtf8Tail, 'utf8')]);
  return { status: 200, headers: { 'content-type': 'text/html' }, body };
}

function cp1251Item(view: SiteView, p: SimPost): string {
  const L = labelsFor(view);
  const timer = countdownText(p.deadlineAt, view.now, L.countdownUnits);
  return `<div class="item">
  <h3><a href="${esc(p.path)}">${esc(p.title)}</a></h3>
  <span class="date">${formatDate(p.publishedAt, 'dmy-dot')}</span> | <span class="razmer">Объём: ${esc(p.dataSizeText)}</span>
  <div class="text">${esc(p.description)}</div>
  ${timer ? `<div class="timer">До публикации: ${timer}</div>` : '<div class="done">Опубликовано</div>'}
</div>`;
}

export const cp1251Style: StyleModule = {
  postPath: (post) => `/post/${post.slug}.html`,
  listingPage: (url) => (url.pathname === '/' ? 1 : undefined),
  renderListing(view) {
    return encoded(`<!DOCTYPE html>
<html lang="ru">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>${esc(view.name)} — блог</title>
</head>
<body>
<h1>${esc(view.name)}</h1>
<p class="intro">Здесь публикуются данные компаний, которые отказались от сотрудничества. № 1 в своём деле — «честно» и быстро.</p>
<div class="news">
${view.posts.map((p) => cp1251Item(view, p)).join('\n')}
</div>
</body>
</html>
`, 'windows-1251');
  },
  async renderPost(view, post) {
    return encoded(await renderPostPage(view, post, 'windows-1251'), 'windows-1251');
  },
};

function latin1Item(view: SiteView, p: SimPost): string {
  const timer = countdownText(p.deadlineAt, view.now);
  return `<dl class="opfer">
  <dt class="firma"><a href="${esc(p.path)}">${esc(p.title)}</a></dt>
  <dd class="datum">${formatDate(p.publishedAt, 'dmy-slash')}</dd>
  <dd class="groesse">Datenmenge: ${esc(p.dataSizeText)}</dd>
  <dd class="text">${esc(p.description)}</dd>
  ${timer ? `<dd class="frist">Veröffentlichung in ${timer}</dd>` : '<dd class="frist fertig">veröffentlicht</dd>'}
</dl>`;
}

export const latin1Style: StyleModule = {
  postPath: (post) => `/post/${post.slug}.html`,
  listingPage: (url) => (url.pathname === '/' ? 1 : undefined),
  renderListing(view) {
    const page = `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="iso-8859-1">
<title>${esc(view.name)} – Opferliste</title>
</head>
<body>
<h1>${esc(view.name)}</h1>
<p class="intro">Firmen, die nicht zahlen wollten. Größe, Datum und Frist stehen bei jedem Eintrag — Grüße an alle Admins.</p>
${view.posts.map((p) => latin1Item(view, p)).join('\n')}
`;
    // The footer is UTF-8 inside a latin1 page: "© 2024 – Straße" turns into mojibake.
    return encoded(page, 'iso-8859-1', '<footer class="legal">© 2024 – Fuchs Gruppe, Hauptstraße 1</footer>\n</body>\n</html>\n');
  },
  async renderPost(view, post) {
    return encoded(await renderPostPage(view, post, 'iso-8859-1'), 'iso-8859-1');
  },
};
