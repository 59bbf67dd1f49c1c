import { Writable } from 'node:stream';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../crawl/types.js';
import type { CliIO } from './io.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured logs on stderr: JSON lines when stderr is not a terminal (journald, cron mail,
 * log shippers), a readable form on a terminal. Written through the CLI's IO so tests capture it.
 */
export function cliLogger(io: CliIO, level: LogLevel = 'info'): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      io.err(chunk.toString('utf8'));
      done();
    },
  });
  const stream = io.isTTY ? pretty({ destination: sink, sync: true, colorize: false, ignore: 'pid,hostname' }) : sink;
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}
