import type { X509Certificate } from 'node:crypto';
import type { ClientMaterial } from '../load/client.js';
import type { Loaded } from '../load/trust.js';
import { fixOf } from '../../pki/catalogue.js';
import { finding, variantFailure } from '../report.js';
import type { Finding } from '../types.js';
import { distinguishedName, formatDate, shortName } from '../words.js';
import { noCertificate } from './skipped.js';

const MAX_DEPTH = 8;

/** The issuer of `certificate` among `pool`: same name and a signature that verifies; else only a namesake. */
export function findIssuer(certificate: X509Certificate, pool: readonly X509Certificate[]): { issuer?: X509Certificate; namesake?: X509Certificate } {
  const namesakes = pool.filter((candidate) => candidate.subject === certificate.issuer && candidate !== certificate);
  const issuer = namesakes.find((candidate) => signedBy(certificate, candidate));
  return issuer ? { issuer } : { namesake: namesakes[0] };
}

export function isSelfSigned(certificate: X509Certificate): boolean {
  return certificate.subject === certificate.issuer && signedBy(certificate, certificate);
}

function signedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** `chain`: from the leaf, through what the client sends, to a CA in `--ca`, every signature verified. */
export function checkChain(material: ClientMaterial, trust: Loaded<X509Certificate>, now: Date): Finding {
  const leaf = material.leaf;
  if (!leaf) return noCertificate('chain', material);
  const trusted = new Set(trust.given && trust.ok ? trust.items.map((c) => c.fingerprint256) : []);
  if (isSelfSigned(leaf) && !trusted.has(leaf.fingerprint256)) {
    return variantFailure('chain', 'self_signed', `${distinguishedName(leaf.subject)} is self-signed: it vouches for itself, so no server that trusts a CA accepts it`);
  }
  if (!trust.given) return finding('chain', 'skip', 'not checked: pass the CA certificates the server trusts with --ca (for Lean: lean_public_cert_chain.pem)');
  if (!trust.ok) return finding('chain', 'fail', trust.message, { fix: trust.fix });

  const pool = [...material.sent, ...trust.items];
  const where = (c: X509Certificate): string => (trusted.has(c.fingerprint256) ? '--ca' : 'sent');
  const path: X509Certificate[] = [leaf];
  for (let current = leaf; path.length <= MAX_DEPTH; ) {
    if (trusted.has(current.fingerprint256) && (isSelfSigned(current) || !findIssuer(current, pool).issuer)) {
      return completed(path, where, now);
    }
    if (isSelfSigned(current)) {
      return variantFailure('chain', 'unknown_ca', `the chain ends at the root ${distinguishedName(current.subject)}, which --ca does not hold: the server does not trust the CA that issued this certificate`);
    }
    const { issuer, namesake } = findIssuer(current, pool);
    if (namesake) {
      return variantFailure(
        'chain',
        'unknown_ca',
        `${shortName(current.subject)} names ${distinguishedName(current.issuer)} as its issuer, but its signature does not verify with the certificate of that name (${where(namesake)}): another CA with the same name signed it (another environment?)`,
      );
    }
    if (!issuer) return missingIssuer(current, trust.given && trust.ok ? trust.items : []);
    path.push(issuer);
    current = issuer;
  }
  return finding('chain', 'fail', `the chain is longer than ${MAX_DEPTH} certificates or loops`, { fix: 'Send the leaf and its intermediates only, leaf first.' });
}

function completed(path: readonly X509Certificate[], where: (c: X509Certificate) => string, now: Date): Finding {
  const [leaf, ...issuers] = path as [X509Certificate, ...X509Certificate[]];
  for (const issuer of issuers) {
    if (!issuer.ca) {
      return finding('chain', 'fail', `${shortName(issuer.subject)} signs ${shortName(leaf.subject)}'s chain but is not a CA certificate`, { fix: 'Use the certificate chain Lean gives you.' });
    }
    const notAfter = new Date(issuer.validTo);
    if (notAfter < now) {
      return finding('chain', 'fail', `the chain builds, but the CA ${shortName(issuer.subject)} expired on ${formatDate(notAfter)}`, {
        fix: 'Download the current CA chain and certificate from the Lean portal.',
      });
    }
  }
  const last = issuers[issuers.length - 1] ?? leaf;
  const steps = [shortName(leaf.subject), ...issuers.map((c) => `${shortName(c.subject)} (${where(c)}${isSelfSigned(c) ? ', root' : ''})`)];
  const partial = isSelfSigned(last) ? '' : `; --ca holds ${shortName(last.subject)} but not its root, which most servers need too`;
  return finding('chain', 'pass', `${steps.join(' → ')}; every signature verifies${partial}`);
}

/** Nobody in the file or in --ca issued `certificate`: name the missing CA, and guess what it is from its organisation. */
function missingIssuer(certificate: X509Certificate, trusted: readonly X509Certificate[]): Finding {
  const issuer = distinguishedName(certificate.issuer);
  const missing = `${shortName(certificate.subject)} is issued by ${issuer}, which is neither in --ca nor sent with the certificate`;
  const organisation = organisationOf(certificate.issuer);
  const trustedOrganisations = new Set(trusted.map((c) => organisationOf(c.subject)).filter(Boolean));
  if (organisation && trustedOrganisations.has(organisation)) {
    return variantFailure(
      'chain',
      'incomplete_chain',
      `${missing}: it looks like an intermediate of ${organisation}, whose CAs --ca holds, so the client must send it along`,
      `Add the intermediate ${shortName(certificate.issuer)} (for your app: send my_app_cert_and_chain.crt). ${fixOf('incomplete_chain')}`,
    );
  }
  return variantFailure(
    'chain',
    'unknown_ca',
    `${missing}: no CA in --ca is from ${organisation ?? 'that issuer'}, so the certificate comes from a CA the server does not trust (or from an intermediate you must send along)`,
  );
}

function organisationOf(name: string): string | undefined {
  return name.split('\n').find((part) => part.startsWith('O='))?.slice(2);
}
