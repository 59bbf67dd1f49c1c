import { request } from 'node:http';
import type { SimMirrorInfo, SimSiteInfo } from '../../src/sim/index.js';

/**
 * Fetching from the simulator in tests: straight to the loopback port, with the Host header a
 * client going through the SOCKS proxy would send (the onion name).
 */

export interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The URL a crawler would have used (onion host), for extractor inputs. */
  url: string;
  contentType: string | undefined;
}

export function fetchSim(target: SimSiteInfo | SimMirrorInfo, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: target.port, path, method, headers: { host: target.onionHost, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks),
        url: new URL(path, `http://${target.onionHost}/`).href, contentType: res.headers['content-type'],
      }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A path (and query) of an absolute URL, to fetch it from the simulator. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}
