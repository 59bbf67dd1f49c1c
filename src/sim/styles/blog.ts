import { countdownText, esc, excerptOf, formatDate, html, type SiteView } from '../html.js';
import { renderPostPage } from '../post-page.js';
import type { SimPost } from '../types.js';
import type { StyleModule } from './style.js';

/**
 * A static WordPress-like blog: one listing at `/` with every victim as an `<article>`, post
 * pages at `/posts/<slug>.html`. Definition: sites/sim/sim-blog.yaml.
 */

function article(view: SiteView, post: SimPost): string {
  const timer = countdownText(post.deadlineAt, view.now);
  return `    <article class="post" id="post-${post.id}">
      <h2 class="post-title"><a href="${esc(post.path)}" rel="bookmark">${esc(post.title)}</a></h2>
      <div class="post-meta">
        <time class="published" datetime="${post.publishedAt}">${formatDate(post.publishedAt, 'mdy-name')}</time> ·
        <span class="website">${esc(post.website)}</span> ·
        <span class="data-size">${esc(post.dataSizeText)}</span>
      </div>
      <p class="excerpt">${esc(excerptOf(post.description))}</p>
      ${timer ? `<div class="countdown">Publication in <span class="timer">${timer}</span></div>` : '<div class="countdown published">PUBLISHED</div>'}
      <a class="more-link" href="${esc(post.path)}">Read more</a>
    </article>`;
}

export const blogStyle: StyleModule = {
  postPath: (post) => `/posts/${post.slug}.html`,

  listingPage: (url) => (url.pathname === '/' || url.pathname === '/index.html' ? 1 : undefined),

  renderListing(view) {
    return html(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${esc(view.name)} — leaks</title>
  <link rel="stylesheet" href="/static/style.css">
</head>
<body class="home blog">
  <header class="site-header">
    <h1 class="site-title"><a href="/">${esc(view.name)}</a></h1>
    <p class="tagline">Companies that chose not to protect their customers.</p>
    <nav><a href="/">Leaks</a> <a href="/rules">Rules</a> <a href="/contact">Contact</a></nav>
  </header>
  <main id="posts">
${view.posts.map((p) => article(view, p)).join('\n')}
  </main>
  <footer class="site-footer">Published ${view.posts.length} companies. Use Tor Browser to download.</footer>
</body>
</html>
`);
  },

  async renderPost(view, post) {
    return html(await renderPostPage(view, post));
  },
};
