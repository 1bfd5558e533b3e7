import { CertificateAuthority } from '../pki/authority.js';
import type { LeanPki } from '../pki/lean-pki.js';
import { RevocationList } from '../pki/revocation.js';

type RevocableIssuer = 'intermediate' | 'partner_intermediate';

/** Run-time revocation of the PKI's leaves: CRLs re-signed on demand, handed to the gate. */
export interface Revocations {
  revoke(serialNumber: string, at: Date): Promise<{ serial: string; issuer: RevocableIssuer }>;
  /** Every CRL the gate must load now: root, intermediate, partner intermediate. */
  crls(): string[];
  serials(): string[];
  reset(): void;
}

export async function createRevocations(pki: LeanPki): Promise<Revocations> {
  const load = async (material: LeanPki['intermediate']): Promise<RevocationList> =>
    RevocationList.fromCrl(await CertificateAuthority.load(material.certificatePem, material.privateKeyPem, pki.keyType), material.crlPem);
  const lists: Record<RevocableIssuer, RevocationList> = {
    intermediate: await load(pki.intermediate),
    partner_intermediate: await load(pki.partnerIntermediate),
  };
  return {
    async revoke(serialNumber, at) {
      const serial = serialNumber.toUpperCase();
      const issuer = issuerOf(pki, serial);
      await lists[issuer].revoke(serial, at);
      return { serial, issuer };
    },
    crls: () => [pki.root.crlPem, lists.intermediate.pem, lists.partner_intermediate.pem],
    serials: () => [...lists.intermediate.serials(), ...lists.partner_intermediate.serials()],
    reset() {
      lists.intermediate.reset();
      lists.partner_intermediate.reset();
    },
  };
}

/** Which CA issued the certificate with this serial; the main intermediate when it is not one of the PKI's. */
function issuerOf(pki: LeanPki, serial: string): RevocableIssuer {
  const variant = pki.variants.find((entry) => entry.credential?.serialNumber === serial);
  return variant?.name === 'incomplete_chain' ? 'partner_intermediate' : 'intermediate';
}
