/**
 * Leak-site simulator for tests, benchmarks and `leakwatch demo`: loopback HTTP servers that
 * behave like real leak sites (several layouts, hostile content, dead and slow mirrors) and
 * publish real synthetic documents, some of them from a known "stolen" corpus.
 */
export { startSimulator, SIM_NOW, DEFAULT_CORPUS_DOCUMENTS, DEFAULT_HUGE_FILE_BYTES, DEFAULT_ZIP_BOMB, type Simulator } from './simulator.js';
export { defaultSimSites, DEFAULT_SITE_IDS, STYLE_TEMPLATE_ID } from './default-sites.js';
export { loadSimDefinition, simSiteDefinition, simSitesDir } from './definitions.js';
export { simOnionHost, onionHostForPublicKey } from './onion-name.js';
export { hugeFileByteAt, hugeFileStream, zipBomb, type ZipBombShape } from './hostile-files.js';
export { StolenCorpus, type CorpusFile } from './stolen-corpus.js';
export { QUEUE_COOKIE } from './styles/queue.js';
export { API_PATH } from './styles/api.js';
export { APP_SCRIPT_PATH } from './styles/js-only.js';
export { DEEP_NESTING } from './styles/hostile.js';
export { SHORT_PAGE_BYTES } from './router.js';
export { encodeLegacy, type LegacyCharset } from './legacy-encoding.js';
export type * from './types.js';
