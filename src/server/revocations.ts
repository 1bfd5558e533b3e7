import type { LeanPki } from '../pki/lean-pki.js';
import { crlSerials } from '../pki/crl-serials.js';
import type { RevocationList } from '../pki/revocation.js';

type RevocableIssuer = 'intermediate' | 'partner_intermediate';
type Lists = Record<RevocableIssuer, RevocationList>;

/** Run-time revocation of the PKI's leaves: CRLs re-signed on demand, handed to the gate. */
export interface Revocations {
  /** Rejects with a one-line error when the PKI's CA cannot sign (e.g. a damaged key file). */
  revoke(serialNumber: string, at: Date): Promise<{ serial: string; issuer: RevocableIssuer }>;
  /** Every CRL the gate must load now: root, intermediate, partner intermediate. */
  crls(): string[];
  serials(): string[];
  reset(): void;
}

/**
 * Until the first revocation the CRLs are the PKI's own, so nothing needs the CA keys or the
 * X.509 library: both are loaded by the first `revoke()` (once, however many arrive together).
 * A CA key that cannot sign therefore fails that call, not the start.
 */
export async function createRevocations(pki: LeanPki): Promise<Revocations> {
  const initialSerials = [...crlSerials(pki.intermediate.crlPem), ...crlSerials(pki.partnerIntermediate.crlPem)];
  let lists: Lists | undefined;
  let loading: Promise<Lists> | undefined;
  // A reset undoes every revocation asked for before it, including one still waiting for the lists.
  let resets = 0;
  const loaded = (): Promise<Lists> =>
    (loading ??= loadLists(pki).then((ready) => {
      lists = ready;
      return ready;
    }));
  return {
    async revoke(serialNumber, at) {
      const serial = serialNumber.toUpperCase();
      const issuer = issuerOf(pki, serial);
      const askedBefore = resets;
      const ready = await loaded();
      if (resets === askedBefore) await ready[issuer].revoke(serial, at);
      return { serial, issuer };
    },
    crls: () =>
      lists
        ? [pki.root.crlPem, lists.intermediate.pem, lists.partner_intermediate.pem]
        : [pki.root.crlPem, pki.intermediate.crlPem, pki.partnerIntermediate.crlPem],
    serials: () => (lists ? [...lists.intermediate.serials(), ...lists.partner_intermediate.serials()] : [...initialSerials]),
    reset() {
      resets += 1;
      lists?.intermediate.reset();
      lists?.partner_intermediate.reset();
    },
  };
}

async function loadLists(pki: LeanPki): Promise<Lists> {
  const [{ CertificateAuthority }, { RevocationList }] = await Promise.all([
    import('../pki/authority.js'),
    import('../pki/revocation.js'),
  ]);
  const load = async (label: string, material: LeanPki['intermediate']): Promise<RevocationList> => {
    try {
      const authority = await CertificateAuthority.load(material.certificatePem, material.privateKeyPem, pki.keyType);
      return RevocationList.fromCrl(authority, material.crlPem);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot revoke: the ${label} CA of this PKI cannot sign a new CRL (${reason})`);
    }
  };
  return {
    intermediate: await load('intermediate', pki.intermediate),
    partner_intermediate: await load('partner intermediate', pki.partnerIntermediate),
  };
}

/** Which CA issued the certificate with this serial; the main intermediate when it is not one of the PKI's. */
function issuerOf(pki: LeanPki, serial: string): RevocableIssuer {
  const variant = pki.variants.find((entry) => entry.credential?.serialNumber === serial);
  return variant?.name === 'incomplete_chain' ? 'partner_intermediate' : 'intermediate';
}
