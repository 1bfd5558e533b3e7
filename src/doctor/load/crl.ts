import { AsnParser } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { MAX_INPUT_BYTES } from '../types.js';

/**
 * asn1js stops at 10,000 nodes by default: about 1,400 CRL entries, while a real CA's CRL holds
 * thousands. The bound that matters is the input's size (the doctor reads at most
 * MAX_INPUT_BYTES), and every DER node takes at least two bytes, so this allows any CRL that fits.
 */
const CRL_MAX_NODES = MAX_INPUT_BYTES / 2;

/** One DER CRL as @peculiar/x509 reads it, without asn1js's default node limit. */
export function readCrl(der: Uint8Array): x509.X509Crl {
  return new x509.X509Crl(AsnParser.parse(der, CertificateList, { berOptions: { maxNodes: CRL_MAX_NODES } }));
}
