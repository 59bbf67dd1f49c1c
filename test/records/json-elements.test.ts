import { describe, expect, it } from 'vitest';
import { forEachJsonElement } from '../../src/records/json-elements.js';

/** What the element-by-element reader must agree with: JSON.parse of the whole text. */
function whole(text: string): { array: boolean; elements: unknown[] } {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? { array: true, elements: v } : { array: false, elements: [] };
  } catch {
    return { array: false, elements: [] };
  }
}

function streamed(text: string): { ok: boolean; elements: unknown[] } {
  const elements: unknown[] = [];
  const result = forEachJsonElement(text, (v) => elements.push(v));
  // Nothing is delivered from what is not an array at all.
  if (result === 'not-array') expect(elements).toEqual([]);
  return { ok: result === 'done', elements };
}

describe('JSON arrays read element by element', () => {
  it('gives exactly the elements JSON.parse gives, and says when the text is not a well-formed array', () => {
    const samples = [
      '[]', ' [ ] ', '[1]', '[1,2,3]', '[{"a":"x,y]}"},{"b":[1,{"c":"\\"]"}]}]', '["a\\\\",{"q":"\\\\\\""}]', '\n[\n{"id":1}\n,{"id":2}\n]\n',
      '{"a":[1,2]}', '"[1]"', '[1,]', '[,1]', '[1,,2]', '[1 2]', '[{"a":1}', '[{"a":1},', '[{"a":1}]x', '[{"a":1}]]', '[{]', '[{"a":"unterminated]',
      '\uFEFF[1]', '[1]\u00a0', '[[1,2],[3,[4]]]', '[null,true,false,"s",1.5e3]', '[{"a":1}}', '',
    ];
    for (const text of samples) {
      const w = whole(text);
      const s = streamed(text);
      expect(s.ok, JSON.stringify(text)).toBe(w.array);
      if (w.array) expect(s.elements, JSON.stringify(text)).toEqual(w.elements);
    }
  });

  it('agrees with JSON.parse on random arrays, cut off and damaged at random', () => {
    let x = 11;
    const rnd = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % n;
    };
    const value = (d: number): unknown => {
      const k = rnd(d > 2 ? 4 : 7);
      if (k === 0) return rnd(1000) - 500;
      if (k === 1) return ['a', 'b"c', 'd\\', ']', '}', ',', '\\"', 'ā'][rnd(8)];
      if (k === 2) return null;
      if (k === 3) return rnd(2) === 0;
      if (k === 4) return Array.from({ length: rnd(4) }, () => value(d + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, (_, i) => [`k${i}`, value(d + 1)]));
    };
    const chars = ['[', ']', '{', '}', ',', '"', '\\', ' ', '1'];
    for (let t = 0; t < 3000; t++) {
      let text = JSON.stringify(Array.from({ length: rnd(6) }, () => value(0)), null, rnd(2) ? 1 : undefined);
      const damage = rnd(4);
      if (damage === 1) text = text.slice(0, rnd(text.length + 1));
      else if (damage === 2) {
        const at = rnd(text.length + 1);
        text = text.slice(0, at) + (chars[rnd(chars.length)] as string) + text.slice(at);
      }
      const w = whole(text);
      const s = streamed(text);
      expect(s.ok, text).toBe(w.array);
      if (w.array) expect(s.elements, text).toEqual(w.elements);
      // Whatever it delivered before stopping were whole elements of the text's array.
      else for (const e of s.elements) expect(e).not.toBeUndefined();
    }
  });
});
