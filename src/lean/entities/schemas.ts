import { z } from 'zod';
import { PageSchema } from '../customers/schemas.js';

/**
 * The entity API's reply shapes (Lean's `entities.yml`: `Entity`, `EntityConsent`,
 * `EntityListResponse`), as strict objects.
 */

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const timestamp = z.iso.datetime({ offset: true });

export const PermissionsSchema = z.strictObject({
  identity: z.boolean(),
  accounts: z.boolean(),
  balance: z.boolean(),
  transactions: z.boolean(),
  identities: z.boolean(),
  scheduled_payments: z.boolean(),
  standing_orders: z.boolean(),
  direct_debits: z.boolean(),
  beneficiaries: z.boolean(),
});

export const DataAccountIdentifierSchema = z.strictObject({
  scheme_name: z.string(),
  identification: z.string(),
  name: z.string().nullable().optional(),
  secondary_identification: z.string().nullable().optional(),
});

/** Lean's examples show every field but `id` as possibly null: only `id` is required. */
export const EntityConsentSchema = z.strictObject({
  id: z.string(),
  bank_consent_id: z.string().nullable().optional(),
  bank_identifier: z.string().nullable().optional(),
  consent_type: z.enum(['ACCOUNT_ACCESS', 'MULTI_PAYMENTS']).nullable().optional(),
  consent_status: z.enum(['ACTIVE', 'REVOKED', 'REJECTED']).nullable().optional(),
  standard_consent_status: z.enum(['AUTHORISED', 'REVOKED', 'REJECTED', 'EXPIRED', 'CONSUMED', 'SUSPENDED']).nullable().optional(),
  permissions: PermissionsSchema.optional(),
  creation_date_time: timestamp.optional(),
  status_update_date_time: timestamp.nullable().optional(),
  expiration_date_time: timestamp.nullable().optional(),
  transaction_from_date_time: timestamp.nullable().optional(),
  transaction_to_date_time: timestamp.nullable().optional(),
  accounts: z.array(DataAccountIdentifierSchema).optional(),
});

const entityFields = {
  id: uuid,
  customer_id: uuid,
  bank_identifier: z.string().min(1),
  permissions: PermissionsSchema,
  bank_type: z.enum(['RETAIL', 'SME']),
  created_at: timestamp,
  consents: z.array(EntityConsentSchema),
};

export const EntitySchema = z.strictObject(entityFields);
export const EntitiesSchema = z.array(EntitySchema);

/** `EntityResponse`: an entity of the time-range listing, with its lifecycle. */
export const EntityListItemSchema = z.strictObject({
  ...entityFields,
  status: z.enum(['ACTIVE', 'DELETED', 'DISABLED', 'REMOVED']),
  updated_at: timestamp,
});

export const EntityPageSchema = z.strictObject({
  data: z.array(EntityListItemSchema),
  page: PageSchema,
});

/** The reply to a deletion: an empty object. */
export const DeleteEntityReplySchema = z.strictObject({});
