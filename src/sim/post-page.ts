import { countdownText, esc, fileSizes, formatDate, sizeText, type SiteView } from './html.js';
import type { SimPost } from './types.js';

/**
 * The victim post page shared by the server-rendered styles: description, proof images,
 * sample download table and file tree. Labels follow the site's language; the markup (and so
 * the `post:` section of the definitions) is the same for all of them.
 */

interface Labels {
  lang: string;
  website: string;
  published: string;
  size: string;
  deadline: string;
  publishedBadge: string;
  proofs: string;
  files: string;
  tree: string;
  back: string;
  countdownUnits: readonly [string, string, string, string];
}

const LABELS: Record<'en' | 'ru' | 'de', Labels> = {
  en: { lang: 'en', website: 'Website', published: 'Published', size: 'Data size', deadline: 'Publication in', publishedBadge: 'PUBLISHED', proofs: 'Proof', files: 'Download samples', tree: 'File tree', back: 'All leaks', countdownUnits: ['D', 'h', 'm', 's'] },
  ru: { lang: 'ru', website: 'Сайт', published: 'Дата', size: 'Объём', deadline: 'До публикации', publishedBadge: 'ОПУБЛИКОВАНО', proofs: 'Доказательства', files: 'Скачать образцы', tree: 'Структура файлов', back: 'Все компании', countdownUnits: ['д', 'ч', 'м', 'с'] },
  de: { lang: 'de', website: 'Webseite', published: 'Veröffentlicht', size: 'Datenmenge', deadline: 'Veröffentlichung in', publishedBadge: 'VERÖFFENTLICHT', proofs: 'Beweise', files: 'Beispieldateien herunterladen', tree: 'Dateibaum', back: 'Alle Opfer', countdownUnits: ['D', 'h', 'm', 's'] },
};

export function labelsFor(view: SiteView): Labels {
  return view.style === 'cp1251' ? LABELS.ru : view.style === 'latin1' ? LABELS.de : LABELS.en;
}

/** The page as text; `charset` is what its `<meta>` declares (the caller encodes to match). */
export async function renderPostPage(view: SiteView, post: SimPost, charset = 'utf-8'): Promise<string> {
  const L = labelsFor(view);
  const sizes = await fileSizes(view, post.files);
  const timer = countdownText(post.deadlineAt, view.now, L.countdownUnits);
  const paragraphs = post.description.split(/(?<=\.)\s+(?=[A-ZА-ЯÄÖÜ])/u).map((p) => `      <p>${esc(p)}</p>`).join('\n');
  const images = post.images.map((img, i) => `      <a href="${esc(img.path)}"><img src="${esc(img.path)}" alt="proof ${i + 1}"></a>`).join('\n');
  const rows = post.files
    .map((f, i) => `        <tr class="sample"><td><a class="download" href="${esc(f.path)}">${esc(f.name)}</a></td><td class="size">${sizeText(sizes[i] ?? 0)}</td></tr>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${L.lang}">
<head>
  <meta charset="${charset}">
  <title>${esc(post.title)} — ${esc(view.name)}</title>
</head>
<body>
  <header><a class="home" href="/">${esc(view.name)}</a> · <a href="/">${L.back}</a></header>
  <main class="post-page">
    <h1 class="victim-name">${esc(post.title)}</h1>
    <ul class="victim-meta">
      <li>${L.website}: <span class="victim-website">${esc(post.website)}</span></li>
      <li>${L.published}: <time class="victim-date" datetime="${post.publishedAt}">${formatDate(post.publishedAt, 'ymd')}</time></li>
      <li>${L.size}: <span class="victim-size">${esc(post.dataSizeText)}</span></li>
      <li class="victim-deadline">${timer ? `${L.deadline} <span class="timer">${timer}</span>` : `<span class="badge">${L.publishedBadge}</span>`}</li>
    </ul>
    <div class="post-description">
${paragraphs}
    </div>
${post.images.length ? `    <section class="proof-images">\n      <h2>${L.proofs}</h2>\n${images}\n    </section>\n` : ''}${post.files.length ? `    <section class="samples">\n      <h2>${L.files}</h2>\n      <table class="samples">\n${rows}\n      </table>\n    </section>\n` : ''}${post.fileTree ? `    <h2>${L.tree}</h2>\n    <pre class="file-tree">${esc(post.fileTree)}</pre>\n` : ''}  </main>
</body>
</html>
`;
}
