import type { ClientMaterial } from '../load/client.js';
import { finding } from '../report.js';
import type { DoctorCheck, Finding } from '../types.js';

/** The skip a certificate check reports when there is no certificate to look at, saying why. */
export function noCertificate(check: DoctorCheck, material: ClientMaterial): Finding {
  return finding(
    check,
    'skip',
    material.given ? 'not checked: the certificate could not be read (see certificate_format)' : 'not checked: no client certificate given',
  );
}
