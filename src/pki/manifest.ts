import { z } from 'zod';
import { TLS_REJECTION_REASONS } from '../reasons.js';
import { VARIANT_NAMES } from './catalogue.js';
import { KEY_TYPES } from './key-types.js';
import { SERVER_VARIANT_NAMES } from './server-variants/catalogue.js';

/**
 * manifest.json: what a certificate folder holds, for people and for scripts in any language.
 * snake_case like Lean's own JSON. Paths are relative to the folder. Parsed with zod on the way
 * back in, so a hand-edited or truncated manifest fails with the field named.
 */

const path = z.string().min(1);
const timestamp = z.iso.datetime();

const certificateFacts = {
  subject: z.string(),
  serial: z.string(),
  fingerprint256: z.string(),
  not_before: timestamp,
  not_after: timestamp,
};

const authorityEntry = z.object({ cert: path, key: path, crl: path, ...certificateFacts });

const appEntry = z.object({
  name: z.string(),
  default: z.boolean(),
  app_token: z.string(),
  client_id: z.string(),
  client_secret: z.string(),
  webhook_secret: z.string(),
  cert: path,
  key: path,
  cert_and_chain: path,
  p12: path,
  p12_3des: path,
  ...certificateFacts,
});

const variantEntry = z.object({
  name: z.enum(VARIANT_NAMES),
  expected: z.enum([...TLS_REJECTION_REASONS, 'key_mismatch']),
  rejected_by: z.enum(['server', 'client']),
  description: z.string(),
  fix: z.string(),
  files: z.object({ cert: path.optional(), key: path.optional(), chain: path.optional(), cert_and_chain: path.optional() }),
  ...z.object(certificateFacts).partial().shape,
});

/** A bad server certificate (DESIGN.md §2.5). */
const serverVariantEntry = z.object({
  name: z.enum(SERVER_VARIANT_NAMES),
  description: z.string(),
  must_refuse: z.boolean(),
  expected_client_error: z.object({ message: z.string(), code: z.string(), node_code: z.string().nullable(), alert: z.string().nullable() }),
  files: z.object({ cert: path, key: path, chain: path.optional(), crl: path.optional() }),
  ...certificateFacts,
});

const fileEntry = z.object({ path, description: z.string(), secret: z.boolean() });

export const MANIFEST_VERSION = 1;

export const manifestSchema = z.object({
  lean_mock_pki: z.literal(MANIFEST_VERSION),
  created_at: timestamp,
  valid_until: timestamp,
  key_type: z.enum(KEY_TYPES),
  p12_password: z.string(),
  trust: z.object({ chain: path, crls: path }),
  ca: z.object({
    root: authorityEntry,
    intermediate: authorityEntry,
    partner_intermediate: authorityEntry,
    rogue_root: z.object({ cert: path }),
  }),
  server: z.object({ cert: path, key: path, cert_and_chain: path, hosts: z.array(z.string()), ...certificateFacts }),
  apps: z.array(appEntry).min(1),
  variants: z.array(variantEntry),
  /** Absent from folders written before the server variants existed: they are then built on first use. */
  server_variants: z.array(serverVariantEntry).optional(),
  files: z.array(fileEntry),
});

export type PkiManifest = z.infer<typeof manifestSchema>;
export type ManifestApp = z.infer<typeof appEntry>;
export type ManifestVariant = z.infer<typeof variantEntry>;
export type ManifestServerVariant = z.infer<typeof serverVariantEntry>;
export type ManifestFile = z.infer<typeof fileEntry>;
