import { CDXIndexer } from 'warcio';
import { WARC_NAME } from './warc-build.js';

/**
 * `indexes/index.cdxj`, produced by warcio's own indexer over the finished WARC, so offsets
 * and digests are what a replay tool will compute. The verifier re-indexes the WARC and
 * compares, which ties the index to the archive byte for byte.
 */
export async function indexWarc(warc: Uint8Array): Promise<string> {
  const indexer = new CDXIndexer({ format: 'cdxj' });
  async function* source(): AsyncGenerator<Uint8Array> {
    yield warc;
  }
  const lines: string[] = [];
  for await (const entry of indexer.iterIndex([{ filename: WARC_NAME, reader: source() }])) {
    lines.push(indexer.serializeCDXJ(entry));
  }
  // CDXJ is sorted by key (SURT, then timestamp) so tools can binary-search it; sort by code unit.
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return lines.join('');
}
