import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { InputError } from '../errors.js';

/**
 * RFC 3161 time-stamp requests. A request is made when a package (or checkpoint) is written,
 * offline, and saved beside it as `<file>.tsq`; `leakwatch evidence timestamp` submits it when
 * a TSA is reachable. The token proves the hashed data existed at the TSA's time, which the
 * signer's own clock cannot.
 */

export const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const NONCE_BYTES = 8;

export interface TimestampRequest {
  der: Buffer;
  /** SHA-256 of the time-stamped data (the message imprint). */
  imprint: Buffer;
  nonce: Buffer;
}

/** Random positive nonce in minimal DER form (first byte 0x40–0x7f: positive, no padding). */
function newNonce(): Buffer {
  const n = randomBytes(NONCE_BYTES);
  n[0] = ((n[0] as number) & 0x3f) | 0x40;
  return n;
}

export function createTimestampRequest(data: Uint8Array, nonce: Buffer = newNonce()): TimestampRequest {
  const imprint = createHash('sha256').update(data).digest();
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID, algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    // Ask for the TSA certificate in the reply, so the token verifies on its own later.
    certReq: true,
  });
  return { der: Buffer.from(req.toSchema().toBER(false)), imprint, nonce };
}

export interface ParsedTimestampRequest {
  hashAlgorithm: string;
  imprint: Buffer;
  nonce: Buffer | undefined;
  certReq: boolean;
}

export function parseTimestampRequest(der: Uint8Array, input?: string): ParsedTimestampRequest {
  try {
    const req = pkijs.TimeStampReq.fromBER(Uint8Array.from(der));
    return {
      hashAlgorithm: req.messageImprint.hashAlgorithm.algorithmId,
      imprint: Buffer.from(req.messageImprint.hashedMessage.valueBlock.valueHexView),
      nonce: req.nonce ? Buffer.from(req.nonce.valueBlock.valueHexView) : undefined,
      certReq: req.certReq ?? false,
    };
  } catch (err) {
    throw new InputError('E_CORRUPT_FILE', 'not an RFC 3161 time-stamp request', { cause: err, ...(input ? { input } : {}) });
  }
}
