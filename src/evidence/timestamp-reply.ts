import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { parseTimestampRequest } from './timestamp-request.js';

/**
 * Verifies an RFC 3161 reply against the request it answers and a pinned TSA certificate:
 * status granted; token is CMS SignedData over a TSTInfo; the signature verifies (pkijs);
 * the imprint is SHA-256 of our data and equals the request's; the nonce is echoed; the
 * signer certificate chains to the pinned certificate (checked at the token's genTime) and
 * carries the critical extendedKeyUsage id-kp-timeStamping that RFC 3161 §2.3 requires.
 */

const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4';
const ID_KP_TIMESTAMPING = '1.3.6.1.5.5.7.3.8';
const EXT_KEY_USAGE = '2.5.29.37';

export interface TimestampVerification {
  ok: boolean;
  problems: string[];
  genTime?: Date;
  serialNumber?: string;
  policy?: string;
  /** Subject of the TSA signing certificate. */
  tsa?: string;
  /** True when the chain to a pinned certificate was checked (false: no certificate was pinned). */
  pinned: boolean;
}

export function certificatesFromPem(pem: string): pkijs.Certificate[] {
  const out: pkijs.Certificate[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    out.push(pkijs.Certificate.fromBER(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
  }
  return out;
}

function subjectText(cert: pkijs.Certificate): string {
  return cert.subject.typesAndValues.map((tv) => `${tv.type === '2.5.4.3' ? 'CN' : tv.type === '2.5.4.10' ? 'O' : tv.type}=${String(tv.value.valueBlock.value)}`).join(', ');
}

function timeStampingOnly(cert: pkijs.Certificate): string | undefined {
  const ext = cert.extensions?.find((e) => e.extnID === EXT_KEY_USAGE);
  if (!ext) return 'TSA certificate has no extendedKeyUsage extension';
  if (!ext.critical) return 'TSA certificate extendedKeyUsage is not critical (RFC 3161 §2.3)';
  const eku = ext.parsedValue as pkijs.ExtKeyUsage | undefined;
  const ids = eku?.keyPurposes ?? [];
  if (ids.length !== 1 || ids[0] !== ID_KP_TIMESTAMPING) return 'TSA certificate extendedKeyUsage is not exactly id-kp-timeStamping';
  return undefined;
}

export interface VerifyReplyInput {
  reply: Uint8Array;
  request: Uint8Array;
  /** The time-stamped data (for a package: the raw signature bytes). */
  data: Uint8Array;
  /** PEM text of the pinned TSA (or its CA) certificate(s); without it the chain is not checked. */
  trustedPem?: string;
}

export async function verifyTimestampReply(input: VerifyReplyInput): Promise<TimestampVerification> {
  const problems: string[] = [];
  const out: TimestampVerification = { ok: false, problems, pinned: false };
  let resp: pkijs.TimeStampResp;
  try {
    resp = pkijs.TimeStampResp.fromBER(Uint8Array.from(input.reply));
  } catch {
    problems.push('not an RFC 3161 time-stamp reply');
    return out;
  }
  const status = resp.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    problems.push(`TSA refused the request (status ${status}${resp.status.statusStrings ? `: ${resp.status.statusStrings.map((s) => s.valueBlock.value).join('; ')}` : ''})`);
    return out;
  }
  const token = resp.timeStampToken;
  if (!token || token.contentType !== ID_SIGNED_DATA) {
    problems.push('reply carries no SignedData time-stamp token');
    return out;
  }
  let signed: pkijs.SignedData;
  let tst: pkijs.TSTInfo;
  try {
    signed = new pkijs.SignedData({ schema: token.content });
    if (signed.encapContentInfo.eContentType !== ID_CT_TSTINFO || !signed.encapContentInfo.eContent) throw new Error('not a TSTInfo');
    tst = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
  } catch (err) {
    problems.push(`malformed time-stamp token: ${(err as Error).message}`);
    return out;
  }
  out.genTime = tst.genTime;
  out.serialNumber = Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString('hex');
  out.policy = tst.policy;

  const req = parseTimestampRequest(input.request);
  const imprint = Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView);
  const expected = createHash('sha256').update(input.data).digest();
  if (tst.messageImprint.hashAlgorithm.algorithmId !== req.hashAlgorithm || !imprint.equals(req.imprint)) problems.push('token imprint differs from the request');
  if (!imprint.equals(expected)) problems.push('token imprint is not the SHA-256 of the time-stamped data');
  const nonce = tst.nonce ? Buffer.from(tst.nonce.valueBlock.valueHexView) : undefined;
  if (req.nonce && (!nonce || !nonce.equals(req.nonce))) problems.push('token nonce differs from the request (replayed or foreign reply)');

  const trusted = input.trustedPem ? certificatesFromPem(input.trustedPem) : [];
  if (input.trustedPem && trusted.length === 0) problems.push('pinned TSA certificate file holds no PEM certificate');
  try {
    const r = await signed.verify({ signer: 0, data: Uint8Array.from(input.data).buffer, trustedCerts: trusted, checkChain: trusted.length > 0, extendedMode: true });
    if (!r.signatureVerified) problems.push('CMS signature of the token does not verify');
    const signer = r.signerCertificate;
    if (signer) {
      out.tsa = subjectText(signer);
      const eku = timeStampingOnly(signer);
      if (eku) problems.push(eku);
    }
    out.pinned = trusted.length > 0;
  } catch (err) {
    const e = err as { message?: string; signerCertificate?: pkijs.Certificate | null };
    if (e.signerCertificate) out.tsa = subjectText(e.signerCertificate);
    problems.push(`token verification failed: ${e.message ?? String(err)}`);
  }
  out.ok = problems.length === 0;
  return out;
}
