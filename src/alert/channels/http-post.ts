import { DeliveryError, describeError, type DeliveryReceipt } from './channel.js';

/** The slice of fetch the HTTP channels use; tests may inject a fake. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Enough of a receiver's reply to explain a failure, not enough to store a page. */
const MAX_REPLY_CHARS = 300;

async function replySnippet(res: Response): Promise<string> {
  try {
    const text = await res.text();
    return text.replace(/\s+/g, ' ').trim().slice(0, MAX_REPLY_CHARS);
  } catch {
    return '';
  }
}

/**
 * POSTs a body and succeeds only on a 2xx. Redirects are not followed: a receiver that moved
 * should be reconfigured, and re-sending a signed body to wherever a 3xx points is a leak.
 * The signal (the outbox's timeout) bounds connect, send and reading the reply.
 */
export async function postBody(fetchImpl: FetchLike, url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<DeliveryReceipt> {
  let res: Response;
  try {
    res = await fetchImpl(url, { method: 'POST', headers, body, redirect: 'manual', signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new DeliveryError(`request failed: ${describeError(err)}`, { cause: err });
  }
  if (res.status >= 200 && res.status < 300) {
    // Drain the reply so the connection is released; its content does not matter.
    await res.arrayBuffer().catch(() => undefined);
    return { httpStatus: res.status };
  }
  const snippet = await replySnippet(res);
  throw new DeliveryError(`receiver answered HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`, { httpStatus: res.status });
}
