import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { LeakwatchError, redactUrl } from '../errors.js';
import { isOnionHost } from '../sites/onion.js';
import type { Clock } from './clock.js';
import type { Deadline } from './deadline.js';
import { NetworkError, SocksReplyError, TlsError } from './fetch-errors.js';
import { probeSocksReply, type SocksAuth, type SocksEndpoint } from './socks5-client.js';
import { SocksConnectFailure, TorAgent } from './tor-agent.js';
import type { PhaseTimeouts } from './types.js';

/**
 * One HTTP request/response over Tor: opens the request through a TorAgent, moves the
 * deadline through its phases (connect → first byte → idle), and turns every failure into a
 * typed error. A failure before the tunnel exists is diagnosed with our own SOCKS CONNECT to
 * learn the reply code that the `socks` package threw away.
 */

export interface ExchangeInput {
  url: URL;
  headers: Record<string, string>;
  proxy: SocksEndpoint;
  auth: SocksAuth;
  deadline: Deadline;
  timeouts: PhaseTimeouts;
  clock: Clock;
}

export interface Exchange {
  res: http.IncomingMessage;
  /** ms from the start of this exchange; connectMs is measured by the agent. */
  connectMs: number;
  ttfbMs: number;
  startedAt: number;
}

/** No name is ever resolved locally: an attempt is a bug, and fails instead of leaking. */
const refuseLookup: LookupFunction = (hostname, _options, callback) => {
  const err: NodeJS.ErrnoException = new Error(`local DNS lookup of ${hostname} refused (names are resolved by Tor)`);
  err.code = 'ENOTFOUND';
  callback(err, '', 4);
};

function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** Maps a post-connect socket/HTTP error by its Node `code` (never by message). */
export function mapNetworkError(err: unknown, input: string): LeakwatchError {
  if (err instanceof LeakwatchError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (TLS_CODE.test(code)) return new TlsError('E_TLS', `TLS failure (${code})`, { input, cause: err });
  if (code.startsWith('HPE_')) {
    // A malformed HTTP response will be just as malformed next time.
    return new LeakwatchError('E_NETWORK', `malformed HTTP response (${code})`, { input, cause: err });
  }
  return new NetworkError('E_NETWORK', `connection failed mid-request (${code || 'closed'})`, { input, cause: err });
}

async function diagnose(input: ExchangeInput, shown: string, cause: unknown): Promise<LeakwatchError> {
  const { deadline } = input;
  try {
    const code = await probeSocksReply({
      proxy: input.proxy,
      auth: input.auth,
      host: input.url.hostname,
      port: defaultPort(input.url),
      signal: deadline.signal,
    });
    if (code !== 0x00) return new SocksReplyError(code, { input: shown, cause });
    return new NetworkError('E_PROXY', 'SOCKS connect failed, but a diagnostic connect succeeded (transient)', { input: shown, cause });
  } catch (err) {
    if (deadline.aborted) return deadline.error();
    // ProxyError (proxy down, auth refused) is about the run, not this URL: pass it on as is.
    if (err instanceof LeakwatchError) return err;
    return mapNetworkError(err, shown);
  }
}

export function openExchange(input: ExchangeInput): Promise<Exchange> {
  const { url, deadline, timeouts, clock } = input;
  const shown = redactUrl(url.href);
  const startedAt = clock.now();
  let connectMs = -1;
  deadline.start('connect', timeouts.connectMs);
  const agent = new TorAgent({
    proxy: input.proxy,
    auth: input.auth,
    // Our connect deadline fires first; this only bounds the `socks` package if it is off.
    socksTimeoutMs: (timeouts.connectMs > 0 ? timeouts.connectMs : 120_000) + 1000,
    signal: deadline.signal,
    onConnected: () => {
      connectMs = clock.now() - startedAt;
      deadline.start('first-byte', timeouts.firstByteMs);
    },
  });
  const onion = isOnionHost(url.hostname);
  const requester = url.protocol === 'https:' ? https : http;

  return new Promise<Exchange>((resolve, reject) => {
    let settled = false;
    const fail = (err: LeakwatchError): void => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const req = requester.request(url, {
      method: 'GET',
      headers: input.headers,
      agent,
      lookup: refuseLookup,
      signal: deadline.signal,
      // An onion address *is* the server's key: Tor authenticated the endpoint already, and
      // onion sites mostly use self-signed certificates. Clearnet TLS is verified as usual.
      rejectUnauthorized: !onion,
    });
    req.on('response', (res) => {
      if (settled) {
        res.destroy();
        return;
      }
      settled = true;
      const ttfbMs = clock.now() - startedAt;
      deadline.start('idle', timeouts.idleMs);
      resolve({ res, connectMs: Math.max(0, connectMs), ttfbMs, startedAt });
    });
    req.on('error', (err) => {
      if (settled) return;
      if (deadline.aborted) return fail(deadline.error());
      if (err instanceof SocksConnectFailure) {
        diagnose(input, shown, err.cause).then(fail, (e: unknown) => fail(mapNetworkError(e, shown)));
        return;
      }
      fail(mapNetworkError(err, shown));
    });
    req.end();
  });
}
