import { X509Certificate } from 'node:crypto';
import type { LeanPki } from '../pki/lean-pki.js';
import { crlSerials } from '../pki/crl-serials.js';
import type { RevocationList } from '../pki/revocation.js';
import { normalizeSerial, REVOCATION_ISSUERS, RevocationRefusal, type RevocationIssuer } from '../pki/serial.js';

type Lists = Record<RevocationIssuer, RevocationList>;

/** Run-time revocation of the PKI's certificates: CRLs re-signed on demand, handed to the gate. */
export interface Revocations {
  /**
   * Lists `serialNumber` (any spelling `normalizeSerial` reads) on the CRL of the CA that issued
   * it: the PKI's own certificates are looked up, and `issuer` names the CA of a certificate the
   * PKI did not record. Throws a {@link RevocationRefusal} (nothing changed) for a malformed
   * serial, an unknown one without `issuer`, or an `issuer` that contradicts the PKI; rejects with
   * a one-line error when the CA cannot sign (e.g. a damaged key file), also changing nothing.
   */
  revoke(serialNumber: string, at: Date, issuer?: RevocationIssuer): Promise<{ serial: string; issuer: RevocationIssuer }>;
  /** Every CRL the gate must load now: root, intermediate, partner intermediate. */
  crls(): string[];
  /** Canonical serials listed on the three CRLs. */
  serials(): string[];
  reset(): void;
}

/**
 * Until the first revocation the CRLs are the PKI's own, so nothing needs the CA keys or the
 * X.509 library: both are loaded by the first `revoke()` (once, however many arrive together).
 * A CA key that cannot sign therefore fails that call, not the start.
 */
export async function createRevocations(pki: LeanPki): Promise<Revocations> {
  const initialSerials = [pki.root, pki.intermediate, pki.partnerIntermediate].flatMap((ca) => crlSerials(ca.crlPem));
  let lists: Lists | undefined;
  let loading: Promise<Lists> | undefined;
  let issuers: ReadonlyMap<string, RevocationIssuer> | undefined;
  // A reset undoes every revocation asked for before it, including one still waiting for the lists.
  let resets = 0;
  const loaded = (): Promise<Lists> =>
    (loading ??= loadLists(pki).then((ready) => {
      lists = ready;
      return ready;
    }));
  return {
    async revoke(serialNumber, at, named) {
      const serial = normalizeSerial(serialNumber);
      issuers ??= issuersOf(pki);
      const issuer = chooseIssuer(serial, issuers.get(serial), named);
      const askedBefore = resets;
      const ready = await loaded();
      if (resets === askedBefore) await ready[issuer].revoke(serial, at);
      return { serial, issuer };
    },
    crls: () =>
      lists
        ? [lists.root.pem, lists.intermediate.pem, lists.partner_intermediate.pem]
        : [pki.root.crlPem, pki.intermediate.crlPem, pki.partnerIntermediate.crlPem],
    serials: () => (lists ? REVOCATION_ISSUERS.flatMap((name) => lists![name].serials()) : [...initialSerials]),
    reset() {
      resets += 1;
      for (const name of REVOCATION_ISSUERS) lists?.[name].reset();
    },
  };
}

function chooseIssuer(serial: string, known: RevocationIssuer | undefined, named: RevocationIssuer | undefined): RevocationIssuer {
  if (named !== undefined && !REVOCATION_ISSUERS.includes(named)) {
    throw new RevocationRefusal('issuer', 'invalid', named, `unknown issuer "${String(named)}": one of ${REVOCATION_ISSUERS.join(', ')}`);
  }
  if (known && named && known !== named) {
    throw new RevocationRefusal('issuer', 'invalid', named, `serial ${serial} was issued by the ${known} CA, not the ${named} CA`);
  }
  const issuer = known ?? named;
  if (!issuer) {
    throw new RevocationRefusal(
      'serial',
      'unknown',
      serial,
      `no certificate of this PKI has serial ${serial}; to revoke one issued outside it, name its issuer (${REVOCATION_ISSUERS.join(', ')})`,
    );
  }
  return issuer;
}

/**
 * Which CA signed each certificate the PKI holds (the intermediates, the server's, the apps',
 * the catalogue's), checked by signature rather than by name. Certificates no CA of the PKI
 * signed (the rogue and self-signed variants, the root itself) are absent: no CRL can revoke them.
 */
function issuersOf(pki: LeanPki): Map<string, RevocationIssuer> {
  const authorities = [
    ['root', pki.root],
    ['intermediate', pki.intermediate],
    ['partner_intermediate', pki.partnerIntermediate],
  ] as const;
  const cas = authorities.map(([name, material]) => ({ name, certificate: new X509Certificate(material.certificatePem) }));
  const held = [
    pki.intermediate.certificatePem,
    pki.partnerIntermediate.certificatePem,
    pki.server.certificatePem,
    ...pki.apps.map((app) => app.credential.certificatePem),
    ...pki.variants.flatMap((variant) => (variant.credential ? [variant.credential.certificatePem] : [])),
  ];
  const found = new Map<string, RevocationIssuer>();
  for (const pem of held) {
    const certificate = new X509Certificate(pem);
    const issuer = cas.find((ca) => certificate.checkIssued(ca.certificate) && certificate.verify(ca.certificate.publicKey));
    if (issuer) found.set(normalizeSerial(certificate.serialNumber), issuer.name);
  }
  return found;
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
  const [root, intermediate, partner] = await Promise.all([
    load('root', pki.root),
    load('intermediate', pki.intermediate),
    load('partner intermediate', pki.partnerIntermediate),
  ]);
  return { root, intermediate, partner_intermediate: partner };
}
