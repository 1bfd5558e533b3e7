/**
 * Fields Lean's recorded v2 objects carry that the sandbox has no value for: Lean sends them as
 * null when a bank gives nothing, so a client mapping Lean's full shape finds every key. A
 * record that does hold a value (a region's `regional_data`, say) keeps it.
 */

type Template = { [key: string]: null | Template };

const POSTAL_ADDRESS: Template = { department: null, sub_department: null, country_sub_division: null, post_code: null };

export const LEAN_FIELDS: Record<string, Template> = {
  accounts: { regional_data: null },
  balances: { regional_data: null },
  beneficiaries: { creditor_agent: { postal_address: POSTAL_ADDRESS }, supplementary_data: null, regional_data: null },
  'direct-debits': { regional_data: null },
  'scheduled-payments': { reference: null, creditor_agent: { scheme_name: null }, regional_data: null },
  'standing-orders': { creditor_agent: { scheme_name: null }, regional_data: null },
  identities: { national_id: null, address: { post_code: null }, regional_data: null },
  identity: { national_id: null, address: { post_code: null }, regional_data: null },
};

/** `item` with every key of `template` it lacks (objects only; a null or absent parent stays as it is). */
export function withLeanFields(item: unknown, template: Template | undefined): unknown {
  if (!template || item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const out: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const [key, child] of Object.entries(template)) {
    if (child === null) {
      if (!(key in out)) out[key] = null;
    } else if (key in out) {
      out[key] = withLeanFields(out[key], child);
    }
  }
  return out;
}
