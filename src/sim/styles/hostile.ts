import { esc, fileSizes, formatDate, html, sizeText } from '../html.js';
import type { StyleModule } from './style.js';

/**
 * Hostile markup, the way hand-made leak sites really break: unquoted attributes, unclosed
 * `<td>`/`<p>`/`<a>`, misnested `<b><i>`, stray closing tags, a NUL byte, 100 000 nested
 * `<div>`s after the victims and an unterminated comment at the end. Post URLs carry the id in
 * the query (`/leak.php?id=<slug>`). The victims come before the deep nesting, so a parser that
 * cuts the nesting still reads them all. Definition: sites/sim/sim-hostile.yaml.
 */

export const DEEP_NESTING = 100_000;

const deep = (): string => '<div>'.repeat(DEEP_NESTING);

export const hostileStyle: StyleModule = {
  postPath: (post) => `/leak.php?id=${encodeURIComponent(post.slug)}`,

  listingPage: (url) => (url.pathname === '/' ? 1 : undefined),

  renderListing(view) {
    const rows = view.posts.map((p) =>
      `<tr class=leak data-id=${p.id}><td class=name><a href="${esc(p.path)}">${esc(p.title)}</a><td class=date>${formatDate(p.publishedAt, 'ymd')}<td class=size>${esc(p.dataSizeText)}<td class=desc><p>${esc(p.description)}<p><b>status: <i>${p.deadlineAt ? 'countdown' : 'published'}</b></i>`);
    return html(`<html><head><title>${esc(view.name)}</title>
<meta charset=utf-8>
<body bgcolor=black text=#ccc>
<center><font color=red size=6><b>CHAOS<i> ARCHIVE</b></i></font></center>
<div class=wrap><div class=inner>
<table id=leaks border=1 cellpadding=3>
<tr><th>name<th>date<th>size<th>info
${rows.join('\n')}
</table>
</div></div></div></div></span></b></font>
<p>contact: <a href=mailto:chaos@chaos.example>chaos@chaos.example<p>
\u0000<p>mirror list: soon
${deep()}
<!-- end of page, never terminated
`);
  },

  async renderPost(view, post) {
    const sizes = await fileSizes(view, post.files);
    const files = post.files.map((f, i) => `<li><a class=file href="${esc(f.path)}">${esc(f.name)}</a> <i class=sz>${sizeText(sizes[i] ?? 0)}`).join('\n');
    const images = post.images.map((img) => `<img src=${esc(img.path)}>`).join('');
    return html(`<html><head><title>${esc(post.title)}</title>
<body>
<div class=post><h1 class=name>${esc(post.title)}</h1>
<div class=about><p>${esc(post.description)}<p>size: ${esc(post.dataSizeText)}
<div class=proof>${images}
<div class=files><ul>
${files}
</ul>
${post.fileTree ? `<pre class=tree>${esc(post.fileTree)}</pre>` : ''}
</span></span></table>
${deep()}
`);
  },
};
