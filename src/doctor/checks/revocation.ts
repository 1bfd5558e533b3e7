import { webcrypto, type X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { ClientMaterial } from '../load/client.js';
import type { Loaded } from '../load/trust.js';
import { finding, variantFailure } from '../report.js';
import type { Finding } from '../types.js';
import { formatDate, shortName } from '../words.js';
import { findIssuer, isSelfSigned } from './chain.js';
import { noCertificate } from './skipped.js';

// CRL signatures are verified through WebCrypto; Node's own implementation serves @peculiar/x509.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/**
 * `revocation`, offline: is the leaf's serial on a CRL its issuer published (`--crl`)? Without a
 * CRL nothing can be known offline, so the check is skipped (a server's refusal with `--url` may
 * still point to it).
 */
export async function checkRevocation(
  material: ClientMaterial,
  crls: Loaded<x509.X509Crl>,
  trust: Loaded<X509Certificate>,
  now: Date,
): Promise<Finding> {
  const leaf = material.leaf;
  if (!leaf) return noCertificate('revocation', material);
  if (!crls.given) return finding('revocation', 'skip', 'not checked: no CRL given (pass the issuer\'s CRL with --crl, e.g. ca/crls.pem)');
  if (!crls.ok) return finding('revocation', 'fail', crls.message, { fix: crls.fix });

  if (isSelfSigned(leaf)) return finding('revocation', 'skip', 'not checked: a self-signed certificate has no CA that could revoke it');
  const parsed = new x509.X509Certificate(new Uint8Array(leaf.raw));
  const issuerName = shortName(leaf.issuer);
  const fromIssuer = crls.items.filter((crl) => crl.issuer === parsed.issuer);
  if (fromIssuer.length === 0) {
    const held = crls.items.map((crl) => crl.issuer.split(', ').find((part) => part.startsWith('CN=')) ?? crl.issuer).join('; ');
    return finding('revocation', 'warn', `--crl holds no CRL from ${issuerName}, the certificate's issuer (it holds CRLs from ${held})`, {
      fix: `Pass the CRL ${issuerName} publishes.`,
    });
  }

  const issuer = findIssuer(leaf, [...material.sent, ...(trust.given && trust.ok ? trust.items : [])]).issuer;
  const signer = issuer ? new x509.X509Certificate(new Uint8Array(issuer.raw)) : null;
  const checked = await Promise.all(fromIssuer.map(async (crl) => ({ crl, verified: signer ? await crl.verify({ publicKey: signer }) : null })));
  const usable = checked.filter((entry) => entry.verified !== false);
  if (usable.length === 0) {
    return finding('revocation', 'warn', `the CRL from ${issuerName} in --crl is not signed by ${issuerName}'s key: ignored`, {
      fix: `Pass the CRL ${issuerName} publishes for this environment.`,
    });
  }

  const serial = leaf.serialNumber.toUpperCase();
  for (const { crl } of usable) {
    const entry = crl.findRevoked(parsed);
    if (!entry) continue;
    const reason = entry.reason !== undefined ? `, reason ${x509.X509CrlReason[entry.reason]}` : '';
    return variantFailure('revocation', 'revoked', `serial ${serial} is on the CRL of ${issuerName}: revoked on ${formatDate(entry.revocationDate)}${reason}`);
  }

  const newest = usable.map((entry) => entry.crl).sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0]!;
  const unverified = usable.some((entry) => entry.verified === null) ? `; its signature was not verified (--ca does not hold ${issuerName})` : '';
  const next = newest.nextUpdate;
  if (next && next < now) {
    return finding('revocation', 'warn', `serial ${serial} is not on ${issuerName}'s CRL, but that CRL is out of date: its next update was due ${formatDate(next)}${unverified}`, {
      fix: `Get ${issuerName}'s current CRL: servers that check CRLs refuse every certificate it issued while theirs is out of date.`,
    });
  }
  const dates = `issued ${formatDate(newest.thisUpdate)}${next ? `, next update ${formatDate(next)}` : ''}`;
  return finding('revocation', 'pass', `serial ${serial} is not on ${issuerName}'s CRL (${dates})${unverified}`);
}
