import { loadConfig, type ConfigProblem, type LeakwatchConfig } from '../config/index.js';
import { readYamlFile } from '../config/load-site.js';
import { AlertsSpec, type AlertsSettings } from '../config/schema.js';

export type AlertSettingsResult =
  | { ok: true; config: LeakwatchConfig; alerts: AlertsSettings; envSecrets: string[] }
  | { ok: false; file: string; problems: ConfigProblem[] };

/**
 * The config with its `alerts` section. The whole file is validated by loadConfig (so every
 * problem is reported at once, secrets redacted); the alerts section is then read from the
 * same YAML because LeakwatchConfig does not carry it yet. `envSecrets` are all values the
 * file took from the environment: delivery redacts them from every error text.
 */
export function loadAlertSettings(configFile: string, env: NodeJS.ProcessEnv): AlertSettingsResult {
  const loaded = loadConfig(configFile, { env });
  if (!loaded.ok) return loaded;
  const envSecrets = loaded.envRefs.map((r) => r.value);
  const carried = (loaded.config as LeakwatchConfig & { alerts?: AlertsSettings }).alerts;
  if (carried) return { ok: true, config: loaded.config, alerts: carried, envSecrets };
  const { source, problems } = readYamlFile(loaded.config.file, env);
  const raw = source?.value && typeof source.value === 'object' ? (source.value as Record<string, unknown>).alerts : undefined;
  const parsed = AlertsSpec.safeParse(raw);
  // loadConfig already validated this section; a failure here means the file changed meanwhile.
  if (!source || !parsed.success) return { ok: false, file: loaded.config.file, problems: problems.length ? problems : [{ file: loaded.config.file, path: 'alerts', message: 'changed while being read; try again' }] };
  return { ok: true, config: loaded.config, alerts: parsed.data, envSecrets };
}
