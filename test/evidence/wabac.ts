import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/shared.js';

/**
 * Runs ReplayWeb.page's own WACZ loading and verification (@webrecorder/wabac 2.26.5, a dev
 * dependency, AGPL: used here only, never from src/) on a package file: WACZFile + its zip
 * range reader, WACZImporter.load() (datapackage-digest signature via certutils'
 * verifyWACZSignature, datapackage.json hash, pages.jsonl hash), with MultiWACZ's
 * verification bookkeeping restated over a Map instead of its IndexedDB.
 * wabac ships these as TypeScript sources; vitest transpiles them, tsc never sees them
 * (the paths are computed), so the types below are the small part we touch.
 */

interface VerifyRow { id: string; expected: unknown; matched: unknown }
export interface WabacResult {
  /** MultiWACZ.getVerifyInfo(): numValid, numInvalid, datapackageHash, publicKey, … */
  info: Record<string, unknown>;
  rows: VerifyRow[];
  /** True when wabac's signature check passed and getVerifyInfo() counts no invalid item. */
  accepted: boolean;
}

const wabacSrc = join(PROJECT_ROOT, 'node_modules', '@webrecorder', 'wabac', 'src');

export async function wabacVerify(path: string): Promise<WabacResult> {
  const bytes = new Uint8Array(readFileSync(path));
  const { WACZFile } = (await import(join(wabacSrc, 'wacz', 'waczfile.ts'))) as { WACZFile: new (o: Record<string, unknown>) => { init(): Promise<unknown> } };
  const { setUseHashCHeck } = (await import(join(wabacSrc, 'wacz', 'ziprangereader.ts'))) as { setUseHashCHeck: (use: boolean) => void };
  // ReplayWeb.page turns this on with ?useHashCheck=1; without it wabac checks no file hashes.
  setUseHashCHeck(true);
  const { WACZImporter } = (await import(join(wabacSrc, 'wacz', 'waczimporter.ts'))) as { WACZImporter: new (store: unknown, file: unknown, isRoot: boolean) => { load(): Promise<unknown> } };

  // An in-memory loader with the BaseLoader surface the zip range reader uses.
  const loader = {
    canLoadOnDemand: true,
    canDoNegativeRange: false,
    headers: {},
    length: bytes.length,
    isValid: true,
    getLength: () => Promise.resolve(bytes.length),
    getRangeFromEnd: (length: number) => Promise.resolve(bytes.subarray(Math.max(0, bytes.length - length))),
    getRange: (offset: number, length: number, streaming: boolean) => {
      const chunk = bytes.subarray(offset, offset + length);
      if (!streaming) return Promise.resolve(chunk);
      return Promise.resolve(
        new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(chunk);
            c.close();
          },
        }),
      );
    },
    doInitialFetch: () => Promise.reject(new Error('not used')),
  };

  // MultiWACZ's verification bookkeeping (multiwacz.ts addVerifyData / addVerifyDataList /
  // getVerifyInfo, restated line for line: multiwacz.ts itself pulls in HTML templates vite
  // cannot load). The checks themselves — hashes, signature — are wabac's own code above.
  const rows = new Map<string, VerifyRow>();
  const store = {
    textIndex: undefined as unknown,
    addVerifyData(prefix = '', id: string, expected: string, actual: string | null = null) {
      let matched = false;
      if (prefix) id = prefix + id;
      if (actual) matched = expected === actual;
      rows.set(id, { id, expected, matched });
      return Promise.resolve();
    },
    addVerifyDataList(prefix: string, datalist: VerifyRow[]) {
      for (const data of datalist) {
        if (prefix) data.id = prefix + data.id;
        rows.set(data.id, data);
      }
      return Promise.resolve();
    },
    addPages: () => Promise.resolve(),
    initConfig: () => undefined,
  };
  const getVerifyInfo = (): Record<string, unknown> => {
    let numValid = 0;
    let numInvalid = 0;
    const info: Record<string, unknown> = {};
    const includeProps = ['domain', 'created', 'certFingerprint', 'software', 'datapackageHash', 'publicKey'];
    for (const res of rows.values()) {
      if (includeProps.includes(res.id)) info[res.id] = res.expected;
      else if (res.id === 'signature') numValid++;
      else if (res.matched === true) numValid++;
      else if (res.matched === false) numInvalid++;
    }
    info.numInvalid = numInvalid;
    info.numValid = numValid;
    return info;
  };

  const file = new WACZFile({ waczname: 'package.wacz', loader });
  await file.init();
  await new WACZImporter(store, file, true).load();
  const info = getVerifyInfo();
  const list = [...rows.values()];
  const signature = list.find((r) => r.id === 'signature');
  const accepted = signature?.matched === true && info.numInvalid === 0;
  return { info, rows: list, accepted };
}
