import type { ConsentRecord, ConsentStatus } from './records.js';

/**
 * A consent's status as of `now`: an open consent (awaiting or authorised) past its expiration
 * reads EXPIRED. Derived, not written, so a read or a refused payment changes nothing; the
 * admin API's expire writes it (with its history entry and webhook).
 */
export function statusOf(consent: ConsentRecord, now: Date): ConsentStatus {
  const open = consent.status === 'AWAITING_AUTHORISATION' || consent.status === 'AUTHORISED';
  return open && now.getTime() >= new Date(consent.expiration_date_time).getTime() ? 'EXPIRED' : consent.status;
}
