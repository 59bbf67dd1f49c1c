export { loadConfig, type ConfigLoadResult, type LeakwatchConfig, type LoadOptions } from './load.js';
export { loadBuiltinSite, loadSiteFile, type LoadedSite, type SiteLoadResult, type SiteSource } from './load-site.js';
export { formatPath, formatProblem, type ConfigProblem } from './problems.js';
export { configJsonSchema, siteJsonSchema } from './json-schema.js';
export { STARTER_CONFIG } from './starter.js';
export { ByteSize, ConfigFile, LimitsSpec, TorSpec, type Limits, type TorSettings } from './schema.js';
export { parseYamlSource, type EnvRef } from './yaml-source.js';
export { configPath, displayPath, DEFAULT_CONFIG_FILE } from './locate.js';
