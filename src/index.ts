/**
 * lean-mock's public API: factories and the types they return (DESIGN.md §4). Re-exports only,
 * one concern per block; internals (the CA class, CRL and journal classes, schemas, routers) stay
 * unexported. The whole file is shown in the README's "As a library".
 */

// The server.
export { startLeanMock } from './server/lean-mock.js';
export type { LeanMock, LeanMockOptions } from './server/lean-mock.js';
export type { ClientCertificateInfo, HandshakeRecord, Journal, RequestBody, RequestRecord } from './gateway/journal.js';
export { RequestFilterError } from './sandbox/request-filter.js';
export type { ListedRequest, ListedRequestBody, RequestFilter } from './sandbox/request-filter.js';
export type { RejectionStyle, TlsVersion } from './gateway/tls-server.js';
export type { SandboxEvent, SandboxStore } from './sandbox/store/store.js';
export type { DeliveryAttempt, WebhookDelivery } from './sandbox/webhooks/delivery-log.js';
export type { WebhookDispatcher } from './sandbox/webhooks/dispatcher.js';

// Scenario files: what the sandbox holds at start and after every reset.
export { ScenarioError, type ScenarioInput, type ScenarioState, type ScenarioSummary } from './sandbox/scenarios/public.js';

// Record, replay and drift against an upstream (Lean's sandbox).
export * from './recording.js';

// Why a handshake or request was refused.
export { HTTP_REJECTION_REASONS, TLS_REJECTION_REASONS } from './reasons.js';
export type { HttpRejectionReason, RejectionReason, TlsRejectionReason } from './reasons.js';

// Certificates: Lean's PKI, the bad-certificate catalogue, the folder on disk, a plain test CA.
export { createLeanPki, DEFAULT_P12_PASSWORD, DEFAULT_SERVER_HOSTS } from './pki/lean-pki.js';
export type { AppIdentity, AppRequest, AuthorityMaterial, LeanPki, LeanPkiOptions } from './pki/lean-pki.js';
export { loadOrCreatePki } from './pki/cache.js';
export type { CachedPki, CachedPkiOptions } from './pki/cache.js';
export { PkiFolderError, readPkiFolder, writePkiFolder } from './pki/folder.js';
export type { ManifestApp, ManifestFile, ManifestVariant, PkiManifest } from './pki/manifest.js';
export { CATALOGUE, VARIANT_NAMES } from './pki/catalogue.js';
export type { CatalogueVariant, VariantDescription, VariantName, VariantOutcome } from './pki/catalogue.js';
export { SERVER_CATALOGUE, SERVER_VARIANT_NAMES, type ServerVariantDescription, type ServerVariantName } from './pki/server-variants/catalogue.js';
export { KEY_TYPES } from './pki/key-types.js';
export type { KeyType } from './pki/key-types.js';
export { createTestAuthority } from './pki/test-authority.js';
export type { AuthorityCertificate, AuthorityOptions, LeafPurpose, LeafRequest, TestAuthority } from './pki/authority-types.js';
export type { IssuedCertificate } from './pki/describe.js';

// Webhooks: check a delivery's signature in your receiver.
export { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

// lean-mock doctor, in process.
export { diagnose, DoctorInputError, renderHuman } from './doctor/index.js';
export type {
  DiagnosedCertificate,
  DoctorCheck,
  DoctorInputs,
  DoctorOptions,
  DoctorReport,
  DoctorSource,
  DoctorSummary,
  Finding,
  FindingStatus,
} from './doctor/index.js';

// Lean's objects, as your client reads them.
export type { LeanErrorBody } from './app/errors.js';
export type * from './lean/types.js';
