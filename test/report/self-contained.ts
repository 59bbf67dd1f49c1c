import { load } from 'cheerio';
import { expect } from 'vitest';

/** Elements that could run code or load something when the report is opened. */
const ACTIVE = 'script, link, iframe, frame, object, embed, base, form, video, audio, source, svg, math, meta[http-equiv="refresh"]';

/**
 * The report must stand alone and stay inert: no script, no event handler, nothing fetched.
 * Every src is a data: image and every href an anchor inside the document; leak-site URLs may
 * appear only as escaped text.
 */
export function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:(?!image\/png;base64,)|\/\/)/i);
  const $ = load(html);
  expect($(ACTIVE).toArray().map((e) => e.tagName)).toEqual([]);
  expect($('meta[http-equiv="Content-Security-Policy"]').attr('content')).toContain("default-src 'none'");
  for (const node of $('*').toArray()) {
    // '*' selects elements only; the cast names what cheerio's wider node type hides.
    const el = node as unknown as { tagName: string; attribs: Record<string, string> };
    for (const [name, value] of Object.entries(el.attribs)) {
      expect(name.startsWith('on'), `<${el.tagName} ${name}>`).toBe(false);
      if (name === 'src') expect(value.startsWith('data:image/png;base64,'), `<${el.tagName} src=${value.slice(0, 40)}>`).toBe(true);
      if (name === 'href') expect(value.startsWith('#'), `<${el.tagName} href=${value}>`).toBe(true);
      if (name === 'style') expect(value).not.toMatch(/url\s*\(/i);
    }
  }
  expect($('style').text()).not.toMatch(/url\s*\(|@import/i);
}
