import { classifyShortfall, describePage } from './classify.js';
import { parseDataSize } from './data-size.js';
import { decodeBody } from './decode.js';
import { readHtmlField, readHtmlFieldAll, resolveLink } from './field-html.js';
import { parseHtml } from './html-doc.js';
import type { PageFacts } from './page-signals.js';
import type { SiteDefinition } from './schema.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits, type PageInfo, type PageInput, type PostFile, type PostPageOutcome } from './types.js';

/**
 * Runs a definition's `post` section on one victim's post page: description, proof images,
 * file links (with sizes) and file-tree text. Like the listing, a page that yields nothing is
 * classified (captcha / no content / parser broken) rather than reported as an empty post.
 */
export function extractPostPage(site: SiteDefinition, input: PageInput, limitsIn: Partial<ExtractLimits> = {}): PostPageOutcome {
  const limits = { ...DEFAULT_EXTRACT_LIMITS, ...limitsIn };
  const spec = site.post;
  const decoded = decodeBody(input.body, limits.maxInputBytes, input.contentType);
  const warnings = [...decoded.warnings];
  const doc = parseHtml(decoded.text, limits.maxDepth);
  warnings.push(...doc.warnings);
  const facts: PageFacts = { raw: decoded.text, title: doc.title, text: doc.text, noscriptText: doc.noscriptText };
  const page: PageInfo = { bytes: decoded.bytes, truncated: decoded.truncated, encoding: decoded.encoding, title: doc.title, textChars: doc.text.length, itemsMatched: 0 };
  if (!spec) return { status: 'parser-broken', reason: `site "${site.id}" has no post section`, warnings, page };
  const ctx = { $: doc.$ };

  const description = spec.description ? readHtmlField(ctx, spec.description) : undefined;
  const images = spec.images
    ? [...new Set(readHtmlFieldAll(ctx, spec.images, 'src').map((src) => resolveLink(src, input.url)).filter((u): u is string => u !== undefined))]
    : [];
  const files: PostFile[] = [];
  if (spec.files) {
    const elements = doc.$(spec.files.item).toArray().slice(0, limits.maxItems);
    for (const el of elements) {
      const scope = { $: doc.$, scope: doc.$(el) };
      const href = spec.files.url ? readHtmlField(scope, spec.files.url, 'href') : readHtmlField(scope, { trim: true }, 'href');
      const url = href ? resolveLink(href, input.url) : undefined;
      if (!url) {
        warnings.push('a file item without a usable link was skipped');
        continue;
      }
      const file: PostFile = { url };
      const name = spec.files.name ? readHtmlField(scope, spec.files.name) : undefined;
      if (name) file.name = name;
      const sizeText = spec.files.size ? readHtmlField(scope, spec.files.size) : undefined;
      if (sizeText) {
        file.sizeText = sizeText;
        const bytes = parseDataSize(sizeText);
        if (bytes !== undefined) file.sizeBytes = bytes;
        else warnings.push(`file size "${sizeText}" not understood`);
      }
      files.push(file);
    }
    page.itemsMatched = elements.length;
  }
  const fileTree = spec.fileTree ? readHtmlField(ctx, spec.fileTree) : undefined;
  const fields: Record<string, string> = {};
  for (const [name, f] of Object.entries(spec.fields)) {
    const v = readHtmlField(ctx, f);
    if (v !== undefined) fields[name] = v;
  }

  if (!description && images.length === 0 && files.length === 0 && !fileTree && Object.keys(fields).length === 0) {
    return classifyShortfall(site, facts, page, `no post field matched on a page that looks real (${describePage(facts)})`, warnings);
  }
  const out: PostPageOutcome = { status: 'ok', images, files, fields, warnings, page };
  if (description) out.description = description;
  if (fileTree) out.fileTree = fileTree;
  return out;
}
