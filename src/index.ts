/**
 * lean-mock's public API. Re-exports only: each concern lives in its own folder.
 */
export { TLS_REJECTION_REASONS, HTTP_REJECTION_REASONS } from './reasons.js';
export type { RejectionReason, TlsRejectionReason, HttpRejectionReason } from './reasons.js';

export {
  CertificateAuthority,
  createTestAuthority,
  describeCertificate,
  issueSelfSignedLeaf,
} from './pki/authority.js';
export type { AuthorityOptions, IssuedCertificate, LeafPurpose, LeafRequest, TestAuthority } from './pki/authority.js';
export { CATALOGUE, VARIANT_NAMES } from './pki/catalogue.js';
export type { CatalogueVariant, VariantDescription, VariantName, VariantOutcome } from './pki/catalogue.js';
export { SERVER_CATALOGUE, SERVER_VARIANT_NAMES, type ServerVariantDescription, type ServerVariantName } from './pki/server-variants/catalogue.js';
export { KEY_TYPES } from './pki/keys.js';
export type { KeyType } from './pki/keys.js';
export {
  DEFAULT_P12_PASSWORD,
  DEFAULT_SERVER_HOSTS,
  certificateAndChain,
  createLeanPki,
  defaultApp,
} from './pki/lean-pki.js';
export type { AppIdentity, AppRequest, AuthorityMaterial, LeanPki, LeanPkiOptions } from './pki/lean-pki.js';
export { issueCrl } from './pki/revocation.js';
export type { CrlOptions, RevokedEntry } from './pki/revocation.js';
export { toPkcs12 } from './pki/pkcs12.js';
export type { Pkcs12Flavour, Pkcs12Input } from './pki/pkcs12.js';
export { PkiFolderError, readPkiFolder, writePkiFolder } from './pki/folder.js';
export type { PkiManifest, ManifestApp, ManifestVariant, ManifestFile } from './pki/manifest.js';
export { loadOrCreatePki } from './pki/cache.js';
export type { CachedPki, CachedPkiOptions } from './pki/cache.js';

export { startLeanMock } from './server/lean-mock.js';
export type { LeanMock, LeanMockOptions } from './server/lean-mock.js';
export { Journal } from './gateway/journal.js';
export type { ClientCertificateInfo, HandshakeRecord, JournalOptions, RequestRecord } from './gateway/journal.js';
export type { RejectionStyle, TlsVersion } from './gateway/tls-server.js';
export { RevocationList } from './pki/revocation.js';
export { LeanError } from './app/errors.js';
export type { LeanErrorBody } from './app/errors.js';
export { BankSchema, loadBanks } from './lean/banks.js';
export type { Bank } from './lean/banks.js';
export { signWebhook, verifyWebhookSignature } from './webhook-signature.js';
export type { WebhookDelivery, DeliveryAttempt } from './sandbox/webhooks/delivery-log.js';
export type { WebhookDispatcher } from './sandbox/webhooks/dispatcher.js';
export type { SandboxStore, SandboxEvent } from './sandbox/store/store.js';

export { diagnose, renderHuman, summaryLine, DOCTOR_CHECKS, DoctorInputError } from './doctor/index.js';
export type {
  DoctorOptions,
  DoctorSource,
  DoctorReport,
  DoctorSummary,
  DoctorInputs,
  DiagnosedCertificate,
  Finding,
  FindingStatus,
  DoctorCheck,
} from './doctor/index.js';
