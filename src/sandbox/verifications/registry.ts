import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The KSA registries behind business (Wathq) and freelancer verification. The sandbox holds no
 * companies or freelancers of its own, so these are Lean's sandbox test records
 * (`fixtures/verifications/registry.json`, copied from Lean's recorded sandbox answers); any other
 * unified number or national id is not found. Validated at first use so a bad fixture fails loudly.
 */

const json = z.record(z.string(), z.unknown());
const certificate = z.looseObject({ number: z.string(), status: z.string(), expiry_date: z.string().nullable() });
export type Certificate = z.infer<typeof certificate>;

const registrySchema = z.object({
  corporates: z.array(
    z.object({
      unified_number: z.string(),
      views: z.object({ FULL: json, BASIC: json, CONTRACT: json, ADDRESS: json }),
      managers: z.array(z.looseObject({ identity: z.looseObject({ id: z.string() }) })),
    }),
  ),
  freelancers: z.array(
    z.object({
      national_ids: z.array(z.string()).min(1),
      national_id: z.string(),
      national_id_expiry_date: z.string().nullable(),
      name: z.object({ ar: z.string().nullable(), en: z.string().nullable() }),
      gender: z.string().nullable(),
      certificates: z.array(certificate),
    }),
  ),
});
type Registry = z.infer<typeof registrySchema>;
export type CorporateView = keyof Registry['corporates'][number]['views'];
export type Freelancer = Registry['freelancers'][number];

let loaded: Registry | undefined;
function registry(): Registry {
  loaded ??= registrySchema.parse(JSON.parse(readFileSync(new URL('../../../fixtures/verifications/registry.json', import.meta.url), 'utf8')));
  return loaded;
}

/** The company's record in the requested view, or undefined for a unified number the registry does not know. */
export function corporate(unifiedNumber: string, view: CorporateView): Record<string, unknown> | undefined {
  return structuredClone(registry().corporates.find((c) => c.unified_number === unifiedNumber)?.views[view]);
}

/** The company's managers with this national id; undefined for an unknown company. */
export function corporateManagers(unifiedNumber: string, nationalId: string): Record<string, unknown>[] | undefined {
  const company = registry().corporates.find((c) => c.unified_number === unifiedNumber);
  if (!company) return undefined;
  // The registry lists a manager once per position set; Lean answers the first with the id.
  return structuredClone(company.managers.filter((manager) => manager.identity.id === nationalId).slice(0, 1));
}

export function freelancerByNationalId(nationalId: string): Freelancer | undefined {
  return registry().freelancers.find((f) => f.national_ids.includes(nationalId));
}

export function freelancerByCertificate(number: string): Freelancer | undefined {
  return registry().freelancers.find((f) => f.certificates.some((c) => c.number === number));
}
