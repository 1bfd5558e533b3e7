import { paymentErrors } from './errors.js';

/**
 * Account-holder names as banks accept them for a beneficiary: letters of any script, digits,
 * spaces and the punctuation of company names. Lean does not publish its rule; this is the
 * plausible one, and it catches markup, control characters and empty names.
 */
export const NAME_MAX_LENGTH = 140;
const NAME_PATTERN = /^[\p{L}\p{M}\p{N} .,'&()/\-]+$/u;

/** Throws INVALID_NAME naming the field; returns the name with outer spaces trimmed. */
export function validateName(field: string, raw: string): string {
  const name = raw.trim();
  if (name === '') throw paymentErrors.invalidName(field, raw, 'empty');
  if (name.length > NAME_MAX_LENGTH) throw paymentErrors.invalidName(field, raw, `longer than ${NAME_MAX_LENGTH} characters`);
  if (!NAME_PATTERN.test(name)) throw paymentErrors.invalidName(field, raw, 'characters a bank does not accept');
  if (!/[\p{L}\p{N}]/u.test(name)) throw paymentErrors.invalidName(field, raw, 'no letter or digit');
  return name;
}
