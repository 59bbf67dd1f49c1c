export { Matcher, type MatcherOpenOptions } from './matcher.js';
export { SimhashIndex, SIMHASH_MAX_DISTANCE } from './simhash-index.js';
export { PdqIndex } from './pdq-index.js';
export { DEFAULT_MATCH_OPTIONS, METHOD_RANK, type Match, type MatchDetails, type MatchMethod, type MatchOptions, type SampleResult } from './types.js';
