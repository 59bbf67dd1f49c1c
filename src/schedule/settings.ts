import type { LeakwatchConfig } from '../config/load.js';
import { SCHEDULE_DEFAULTS, type LogSettings, type ScheduleSettings } from '../config/schema.js';

/** The config's `schedule` section, or the defaults for a config built in code. */
export function scheduleSettings(config: LeakwatchConfig): ScheduleSettings {
  return config.schedule ?? { ...SCHEDULE_DEFAULTS };
}

export function logSettings(config: LeakwatchConfig): LogSettings {
  return config.log ?? { level: 'info' };
}
