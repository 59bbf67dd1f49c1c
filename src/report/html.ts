/**
 * Safe HTML building for the report. Everything interpolated into the `html` template is
 * escaped unless it is already an `Html` value, so leak-site text (titles, URLs, file names —
 * chosen by the attackers) can only ever appear as text: the safe way is the default way.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * Control characters and bidirectional overrides are replaced by U+FFFD: a right-to-left
 * override in a file name can make "gpj.exe" read as "exe.jpg", and C0/C1 controls have no
 * business in a court document. Everything else is shown as published.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(UNSAFE_CHARS, '\ufffd').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

function render(v: HtmlValue): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map((x: HtmlValue) => render(x)).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<td>${untrusted}</td>\`` escapes `untrusted`; nested Html passes through. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

export function join(parts: readonly Html[], sep = ''): Html {
  return new Html(parts.map((p) => p.value).join(sep));
}

/** A URL or path from a leak site: shown as code, never as a link (no href is ever emitted). */
export function code(text: string | null | undefined): Html {
  return text ? html`<code>${text}</code>` : html`<span class="none">—</span>`;
}

/** A SHA-256 or fingerprint: monospace, allowed to wrap anywhere (64 characters). */
export function hash(hex: string | null | undefined): Html {
  return hex ? html`<code class="hash">${hex}</code>` : html`<span class="none">—</span>`;
}

export function table(headers: readonly string[], rows: readonly (readonly HtmlValue[])[], cls = ''): Html {
  return html`<table class="${cls}"><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</tbody></table>`;
}

/** A placeholder in the draft notice that must be replaced before sending. */
export function placeholder(name: string): Html {
  return html`<mark class="ph">[${name}]</mark>`;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An embedded PNG (data: URI), or undefined when the bytes are not a PNG. */
export function pngImage(png: Uint8Array, alt: string): Html | undefined {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!buf.subarray(0, 8).equals(PNG_MAGIC)) return undefined;
  return html`<img class="shot" alt="${alt}" src="data:image/png;base64,${buf.toString('base64')}">`;
}
