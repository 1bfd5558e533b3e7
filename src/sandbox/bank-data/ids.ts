import type { SeededRandom } from '../random.js';

/**
 * Identifiers drawn from the seeded source. A year of statements needs a thousand ids per entity,
 * so these draw 32 bits at a time rather than a digit at a time.
 */

const hex8 = (random: SeededRandom): string => random.int(0, 0xffffffff).toString(16).padStart(8, '0');

/** A lower-case version-4 UUID, as Lean's ids are. */
export function uuid(random: SeededRandom): string {
  const a = hex8(random);
  const b = hex8(random);
  const c = hex8(random);
  const d = hex8(random);
  const variant = ((parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** A string of `count` random decimal digits (leading zeros kept). */
export function digits(random: SeededRandom, count: number): string {
  let out = '';
  while (out.length < count) {
    const take = Math.min(9, count - out.length);
    out += String(random.int(0, 10 ** take - 1)).padStart(take, '0');
  }
  return out;
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Upper-case letters and digits, as Lean's SAMA mock banks number their accounts. */
export function alphanumerics(random: SeededRandom, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += ALPHANUMERIC[random.int(0, ALPHANUMERIC.length - 1)];
  return out;
}
