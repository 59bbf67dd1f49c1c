import { describe, expect, it } from 'vitest';
import { limitNesting } from '../../src/extract/html-depth.js';
import { htmlToText } from '../../src/extract/html.js';
import { fromBuffer, items } from './fixtures.js';

describe('htmlToText', () => {
  it('keeps visible text, drops script/style/noscript/template, keeps block boundaries', () => {
    const html = `<!doctype html><html><head><title>Hidden title</title>
      <style>.x { color: red }</style><script>var secret = "no";</script></head>
      <body><h1>Patient&nbsp;notes</h1><p>First <b>para</b>graph.</p><div>Second block</div>
      <noscript>enable js</noscript><template><p>template text</p></template>
      <ul><li>one</li><li>two</li></ul>line<br>break
      <table><tr><td>NHI</td><td>ZZZ0016</td></tr><tr><td>Ward</td><td>B</td></tr></table>
      <pre>  keep   spacing</pre></body></html>`;
    const text = htmlToText(html);
    expect(text).toBe(
      ['Patient notes', 'First paragraph.', 'Second block', 'one', 'two', 'line', 'break', 'NHI\tZZZ0016', 'Ward\tB', 'keep spacing'].join(
        '\n',
      ),
    );
    expect(text).not.toMatch(/secret|color|enable js|template text|Hidden title/);
  });

  it('extracts .html files as type html with visible text', async () => {
    const out = items(await fromBuffer(Buffer.from('<html><body><p>Hello</p><p>World</p></body></html>'), 'page.bin'));
    expect(out[0]).toMatchObject({ type: 'html', text: 'Hello\nWorld' });
  });

  it('survives 200 000 nested elements without recursion overflow', () => {
    const depth = 200_000;
    const html = '<div>'.repeat(depth) + 'deep text' + '</div>'.repeat(depth);
    const t0 = performance.now();
    expect(htmlToText(html)).toBe('deep text');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('survives a 20 MB attribute and 100 000 unclosed tags quickly', () => {
    const hugeAttr = `<p title="${'x'.repeat(20 * 1024 * 1024)}">after attr</p>`;
    const unclosed = '<b><i><span>'.repeat(100_000) + 'tail';
    const t0 = performance.now();
    expect(htmlToText(hugeAttr)).toBe('after attr');
    expect(htmlToText(unclosed)).toBe('tail');
    // Mis-nested formatting tags are what makes spec parsers quadratic.
    expect(htmlToText('<b><i>x</b></i>'.repeat(50_000))).toBe('x'.repeat(50_000));
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('stays fast on nesting tricks aimed at the depth pre-pass', () => {
    const n = 100_000;
    const variants = [
      '<a b"c>'.repeat(n) + '"text', // a quote outside a value starts nothing
      '<div/>'.repeat(n) + 'text', // self-closing syntax does not close a div in HTML
      '<div></zz>'.repeat(n) + 'text', // stray end tags close nothing
      '<script>'.repeat(3) + '<div>'.repeat(n) + 'text', // unterminated script swallows the rest
      '<svg>' + '<path d="M0 0"/>'.repeat(n) + '</svg>text',
    ];
    for (const html of variants) {
      const t0 = performance.now();
      htmlToText(html);
      expect(performance.now() - t0).toBeLessThan(5_000);
    }
  });

  it('leaves ordinary markup untouched in the depth pre-pass', () => {
    const html = '<html><body>' + '<div><p class="a>b">x</p><br><img src=x></div>'.repeat(1000) + '</body></html>';
    expect(limitNesting(html, 512)).toEqual({ html, dropped: 0 });
    expect(limitNesting('<b>'.repeat(600) + 'x', 512).dropped).toBe(88);
  });
});
