import { pino, type DestinationStream } from 'pino';

/**
 * The few logger calls alerting makes. pino's Logger satisfies it, so the daemon can pass its
 * own; tests pass a recorder. Only redacted text and ids are ever logged here.
 */
export interface AlertLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** A JSON logger (pino) to `destination`, default stderr so stdout stays for command output. */
export function createAlertLogger(options: { destination?: DestinationStream; level?: string } = {}): AlertLogger {
  return pino({ name: 'leakwatch', level: options.level ?? 'info' }, options.destination ?? pino.destination(2));
}

export const silentLogger: AlertLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
