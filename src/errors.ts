/**
 * Typed errors with stable codes. Callers decide what to do (retry, skip the file, abort the
 * run) from the class and `code`, never by matching message text.
 */
export type ErrorCode =
  | 'E_INPUT_NOT_FOUND'
  | 'E_INPUT_UNREADABLE'
  | 'E_CORRUPT_FILE'
  | 'E_UNSUPPORTED'
  | 'E_TOO_LARGE'
  | 'E_ARCHIVE_LIMIT'
  | 'E_ARCHIVE_ENCRYPTED'
  | 'E_TIMEOUT'
  | 'E_ABORTED'
  | 'E_STORE'
  | 'E_STORE_KEY'
  | 'E_USAGE'
  | 'E_CONFIG'
  | 'E_NETWORK'
  | 'E_PROXY'
  // Fetching (src/fetch): Tor's extended SOCKS5 replies 0xF0–0xF7, standard replies, HTTP.
  | 'E_ONION_OFFLINE'
  | 'E_ONION_DESCRIPTOR_INVALID'
  | 'E_ONION_INTRO_FAILED'
  | 'E_ONION_RENDEZVOUS_FAILED'
  | 'E_ONION_AUTH_REQUIRED'
  | 'E_ONION_AUTH_WRONG'
  | 'E_ONION_BAD_ADDRESS'
  | 'E_ONION_INTRO_TIMEOUT'
  | 'E_SOCKS_REPLY'
  | 'E_SOCKS_AUTH'
  | 'E_HTTP_STATUS'
  | 'E_REDIRECT'
  | 'E_TARGET_REFUSED'
  | 'E_TLS'
  | 'E_BROWSER'
  // Evidence (src/evidence): keys, custody log, packages, sample vault, trusted time.
  | 'E_KEY_EXISTS'
  | 'E_KEY_MISSING'
  | 'E_EVIDENCE_INPUT'
  | 'E_EVIDENCE_EXISTS'
  | 'E_CUSTODY_LOCKED'
  | 'E_CUSTODY_TORN'
  | 'E_CUSTODY_INVALID'
  | 'E_VAULT_KEY'
  | 'E_VAULT_TAMPERED'
  | 'E_VAULT_NOT_FOUND'
  | 'E_TSA'
  | 'E_OCR_UNAVAILABLE'
  | 'E_INTERNAL';

export interface LeakwatchErrorOptions {
  cause?: unknown;
  /** The input (file path, archive member, URL without credentials) the error is about. */
  input?: string;
}

export class LeakwatchError extends Error {
  readonly code: ErrorCode;
  readonly input: string | undefined;
  /** Whether trying the same operation again may succeed. Subclasses set the policy. */
  readonly retryable: boolean = false;

  constructor(code: ErrorCode, message: string, options: LeakwatchErrorOptions = {}) {
    super(options.input ? `${options.input}: ${message}` : message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.input = options.input;
  }
}

/** A problem with one input file or archive member: report it, skip the input, go on. */
export class InputError extends LeakwatchError {}

/** A resource cap (bytes, ratio, depth, entries) was hit: the input is hostile or too big. */
export class LimitError extends InputError {}

/** The run itself cannot go on (store unusable, key missing, bad usage). */
export class FatalError extends LeakwatchError {}

/** A transient failure that may succeed when retried (network, busy store). */
export class RetryableError extends LeakwatchError {
  override readonly retryable = true;
}

export class AbortError extends LeakwatchError {
  constructor(message = 'operation aborted', options: LeakwatchErrorOptions = {}) {
    super('E_ABORTED', message, options);
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof AbortError || (err instanceof Error && err.name === 'AbortError');
}

/** Throws an AbortError if the signal has fired; cheap enough for inner loops. */
export function throwIfAborted(signal: AbortSignal | undefined, input?: string): void {
  if (signal?.aborted) throw new AbortError('operation aborted', { input, cause: signal.reason });
}

/** Message of any thrown value, for reports. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Stable code of any thrown value, for reports and JSON output. */
export function errorCode(err: unknown): ErrorCode {
  return err instanceof LeakwatchError ? err.code : 'E_INTERNAL';
}

/** Removes user:password@ from URLs so credentials never reach logs or error messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
}
