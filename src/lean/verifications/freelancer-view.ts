import { freelancerByCertificate, freelancerByNationalId, type Certificate } from '../../sandbox/verifications/registry.js';

/**
 * A freelancer verification answer: FULL shows the person and the certificate asked for (all of
 * them without a number), FULL_LIST every certificate, BASIC only each certificate's status and
 * expiry. The certificate's ownership is VERIFIED when it belongs to the national id given (or no
 * id was given), NOT_VERIFIED otherwise. Undefined when the registry knows neither.
 */
export function freelancerView(type: 'FULL' | 'FULL_LIST' | 'BASIC', identifications: readonly { type: string; value: string }[]): Record<string, unknown> | undefined {
  const nationalId = identifications.find((id) => id.type === 'NATIONAL_ID')?.value;
  const number = identifications.find((id) => id.type === 'FREELANCER_NUMBER')?.value;
  const byId = nationalId === undefined ? undefined : freelancerByNationalId(nationalId);
  const byNumber = number === undefined ? undefined : freelancerByCertificate(number);
  const person = byId ?? byNumber;
  if (!person) return undefined;
  const owned = number === undefined || person.certificates.some((c) => c.number === number);
  const certificates = type === 'FULL_LIST' || number === undefined ? person.certificates : person.certificates.filter((c) => c.number === number);
  if (type === 'BASIC') {
    return {
      certificate_ownership_verified: owned ? 'VERIFIED' : 'NOT_VERIFIED',
      national_id: person.national_id,
      national_id_expiry_date: null,
      name: { ar: null, en: null },
      gender: null,
      certificate: certificates.map(basic),
    };
  }
  return {
    certificate_ownership_verified: owned ? 'VERIFIED' : 'NOT_VERIFIED',
    national_id: person.national_id,
    national_id_expiry_date: person.national_id_expiry_date,
    name: person.name,
    gender: person.gender,
    certificate: certificates,
  };
}

function basic(certificate: Certificate): Record<string, unknown> {
  return { expiry_date: certificate.expiry_date, number: null, status: certificate.status, revoked_at: null, issue_date: null, speciality: null, canceled_at: null };
}
