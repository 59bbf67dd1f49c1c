/**
 * Evidence: signed WACZ packages of captures, the hash-chained custody log with signed
 * Merkle checkpoints, RFC 3161 trusted time, keys, and the encrypted sample vault.
 */
export type { Capture, CapturedExchange, CapturedRequest, CapturedResponse, CaptureTool, EvidencePackage, HeaderMap, MatchRecord, PackageFile, PackageSignature } from './types.js';
export { buildEvidencePackage, type BuildOptions, type BuiltPackage } from './package-build.js';
export { packageFileName, writeEvidencePackage, type WritePackageOptions, type WrittenPackage } from './package-writer.js';
export { verifyEvidence, type EvidenceVerification, type ScopedProblem, type TimestampReport, type VerifyEvidenceOptions } from './evidence-verify.js';
export { verifyPackageEntries, type PackageVerification } from './package-verify.js';
export { CustodyLog, DEFAULT_CHECKPOINT_EVERY, headPathFor, type CustodyLogOptions } from './custody-log.js';
export { CUSTODY_TYPES, type CustodyEntry, type CustodyEvent, type CustodyEventType } from './custody-entry.js';
export { verifyCustodyLog, type LogVerification, type Problem, type VerifyLogInput } from './custody-verify.js';
export {
  defaultKeyDir, exportPublicKeys, initKeys, KEY_FILES, loadCustodyKey, loadPublicKeys, loadSigningKey, loadVaultKey, VAULT_KEY_ENV, writePublicKeys,
  type KeyPair, type PublicKeyInfo, type PublicKeys, type VaultKey,
} from './key-store.js';
export { createTimestampRequest, parseTimestampRequest } from './timestamp-request.js';
export { verifyTimestampReply, type TimestampVerification } from './timestamp-reply.js';
export { pendingRequests, submitTimestampRequest, timestampPending, type TimestampOutcome, type TimestampPendingOptions } from './timestamp-client.js';
export { SampleVault, type AccessRequest, type SampleMeta, type VaultMode, type VaultOptions, type VaultPutResult } from './vault.js';
export { evidencePaths, TSA_CERT_ENV, TSA_URL_ENV, type EvidencePaths } from './paths.js';
export { MerkleTree, verifyConsistency, verifyInclusion, leafHash } from './merkle.js';
