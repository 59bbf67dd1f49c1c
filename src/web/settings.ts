import { loadConfig, type ConfigProblem, type LeakwatchConfig } from '../config/index.js';
import { readYamlFile } from '../config/load-site.js';
import { WebSpec, type WebSettings } from '../config/schema.js';

export type WebSettingsResult = { ok: true; config: LeakwatchConfig; web: WebSettings } | { ok: false; file: string; problems: ConfigProblem[] };

/**
 * The config with its `web` section. loadConfig validates the whole file (every problem at
 * once); the web section is then read from the same YAML, as alerts are, because
 * LeakwatchConfig does not carry it.
 */
export function loadWebSettings(configFile: string, env: NodeJS.ProcessEnv): WebSettingsResult {
  const loaded = loadConfig(configFile, { env });
  if (!loaded.ok) return loaded;
  const { source, problems } = readYamlFile(loaded.config.file, env);
  const raw = source?.value && typeof source.value === 'object' ? (source.value as Record<string, unknown>).web : undefined;
  const parsed = WebSpec.safeParse(raw);
  if (!source || !parsed.success) return { ok: false, file: loaded.config.file, problems: problems.length ? problems : [{ file: loaded.config.file, path: 'web', message: 'changed while being read; try again' }] };
  return { ok: true, config: loaded.config, web: parsed.data };
}
