import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { LeanPki } from '../../src/pki/lean-pki.js';
import type { SeededRandom } from '../../src/sandbox/random.js';
import * as der from './der-builder.js';

/**
 * Hostile client certificates from a seed: odd dates, serials, extensions, names, key types and
 * chain shapes, each signed with a real key so the server's OpenSSL parses and judges it. Keys
 * are made once (RSA key generation is slow; signing is cheap) and shared by every certificate.
 */

export interface FuzzKeys {
  readonly subjects: readonly { readonly label: string; readonly privateKey: KeyObject; readonly publicKey: KeyObject }[];
  /** Signs certificates that claim the intermediate as issuer: the wrong-signer shape. */
  readonly impostor: KeyObject;
}

export function makeFuzzKeys(): FuzzKeys {
  const pair = (label: string, type: 'ec' | 'rsa' | 'ed25519', options: object) => ({ label, ...generateKeyPairSync(type as 'ec', options as { namedCurve: string }) });
  return {
    subjects: [
      pair('EC P-256', 'ec', { namedCurve: 'P-256' }),
      pair('EC P-384', 'ec', { namedCurve: 'P-384' }),
      pair('Ed25519', 'ed25519', {}),
      pair('RSA 1024', 'rsa', { modulusLength: 1024 }),
      pair('RSA 2048', 'rsa', { modulusLength: 2048 }),
    ],
    impostor: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  };
}

export interface FuzzCertificate {
  /** What was drawn, to name a failing case. */
  readonly description: string;
  readonly certificatePem: string;
  readonly key: KeyObject;
  /** Sent along with the leaf, for the partner-with-chain shape. */
  readonly chainPem?: string;
}

type Draw<T> = readonly (readonly [string, (random: SeededRandom) => T])[];

const TIMES: Draw<Buffer> = [
  ['valid UTCTime', () => der.utcTime('250101000000Z')],
  ['valid GeneralizedTime', () => der.generalizedTime('20250101000000Z')],
  ['month 13', () => der.utcTime('261301000000Z')],
  ['day 32', () => der.utcTime('250132000000Z')],
  ['29 February of a common year', () => der.utcTime('250229000000Z')],
  ['hour 24', () => der.utcTime('250101240000Z')],
  ['lower-case z', () => der.utcTime('250101000000z')],
  ['fractional seconds', () => der.generalizedTime('20250101000000.123Z')],
  ['an offset', () => der.utcTime('250101000000-0500')],
  ['no seconds', () => der.utcTime('2501010000Z')],
  ['year 0001', () => der.generalizedTime('00010101000000Z')],
  ['year 9999', () => der.generalizedTime('99991231235959Z')],
  ['UTCTime 50 (1950)', () => der.utcTime('500101000000Z')],
  ['empty', () => der.utcTime('')],
  ['garbage', (random) => der.utcTime(String.fromCharCode(...Array.from({ length: random.int(1, 20) }, () => random.int(0, 255))))],
  ['expired', () => der.utcTime('200101000000Z')],
  ['in 2040', () => der.utcTime('400101000000Z')],
];

// Not drawn: a non-minimal INTEGER or a lone UTF-16 surrogate, which the client's own OpenSSL refuses to load.
const SERIALS: Draw<Buffer> = [
  ['serial 0', () => der.integerBytes(Buffer.from([0]))],
  ['serial 1', () => der.integer(1n)],
  ['negative serial', () => der.integerBytes(Buffer.from([0xff, 0x01]))],
  ['high-bit serial (negative as written)', () => der.integerBytes(Buffer.from([0x80, 0x00, 0x01]))],
  ['positive high-bit serial', () => der.integerBytes(Buffer.from([0x00, 0x80, 0x12]))],
  // A leading 0x00 before a byte under 0x80 is a non-minimal INTEGER: the client's own OpenSSL refuses to load it.
  ['40-byte serial', (random) => der.integerBytes(Buffer.from(Array.from({ length: 40 }, (_, i) => random.int(i === 0 ? 1 : 0, 127))))],
];

const string = (random: SeededRandom, length: number): string =>
  String.fromCharCode(...Array.from({ length }, () => (random.next() < 0.1 ? 0 : random.int(1, 0x2fff))));

const NAMES: Draw<Buffer> = [
  ['plain name', () => der.name([['CN', 'fuzz client'], ['O', 'lean-mock tests']])],
  ['empty name', () => der.seq()],
  ['NUL in CN', () => der.name([['CN', 'a\u0000b']])],
  ['random unicode CN', (random) => der.name([['CN', string(random, random.int(1, 200))]])],
  ['8 kB CN', () => der.name([['CN', 'y'.repeat(8192)]])],
  ['two CNs', () => der.name([['CN', 'one'], ['CN', 'two']])],
  ['odd PrintableString', () => der.name([['CN', der.tlv(0x13, Buffer.from('@*\u0001'))]])],
  ['BMPString', () => der.name([['CN', der.tlv(0x1e, Buffer.from([0, 0x41, 0x06, 0x27]))]])],
  ['unknown attribute type', () => der.name([['1.2.3.4.5.6', 'what']])],
];

const EKU = (...oids: string[]): Buffer => der.extension('2.5.29.37', der.seq(...oids.map(der.oid)));
const KU = (bits: number[]): Buffer => der.extension('2.5.29.15', der.bitString(bits), true);

const EXTENSIONS: Draw<Buffer[]> = [
  ['no extensions', () => []],
  ['clientAuth', () => [EKU('1.3.6.1.5.5.7.3.2')]],
  ['serverAuth only', () => [EKU('1.3.6.1.5.5.7.3.1')]],
  ['anyExtendedKeyUsage', () => [EKU('2.5.29.37.0')]],
  ['empty EKU', () => [der.extension('2.5.29.37', der.seq())]],
  ['keyCertSign only', () => [KU([5])]],
  ['keyAgreement only', () => [KU([4])]],
  ['empty key usage', () => [der.extension('2.5.29.15', der.tlv(0x03, Buffer.from([0])), true)]],
  ['CA:TRUE', () => [der.extension('2.5.29.19', der.seq(der.bool(true)), true)]],
  ['negative pathLen', () => [der.extension('2.5.29.19', der.seq(der.bool(true), der.integerBytes(Buffer.from([0xff]))), true)]],
  ['unknown critical', (random) => [der.extension(`1.3.6.1.4.1.${random.int(1, 99999)}.1`, der.nul(), true)]],
  ['unknown non-critical garbage', (random) => [der.extension('1.3.6.1.4.1.7.7', Buffer.from(Array.from({ length: random.int(0, 64) }, () => random.int(0, 255))))]],
  ['duplicated EKU', () => [EKU('1.3.6.1.5.5.7.3.2'), EKU('1.3.6.1.5.5.7.3.2')]],
  ['malformed SAN', () => [der.extension('2.5.29.17', Buffer.from([0x30, 0x10, 0x82]))]],
  ['SAN with NUL', () => [der.extension('2.5.29.17', der.seq(der.tlv(0x82, Buffer.from('evil\u0000.example'))))]],
  ['malformed AKI', () => [der.extension('2.5.29.35', Buffer.from([0x02, 0x01, 0x01]))]],
  ['foreign AKI key id', (random) => [der.extension('2.5.29.35', der.seq(der.tlv(0x80, Buffer.from(Array.from({ length: 20 }, () => random.int(0, 255))))))]],
  ['critical SKI', () => [der.extension('2.5.29.14', der.octets(Buffer.from('id')), true)]],
  ['4 kB extension', () => [der.extension('1.3.6.1.4.1.7.8', der.octets(Buffer.alloc(4096, 0x41)))]],
  ['truncated BC', () => [der.extension('2.5.29.19', Buffer.from([0x30, 0x03, 0x01]), true)]],
];

type Shape = 'self-signed' | 'intermediate' | 'partner, no chain' | 'partner with chain' | 'wrong signer';
const SHAPES: readonly Shape[] = ['self-signed', 'intermediate', 'partner, no chain', 'partner with chain', 'wrong signer'];

/** One certificate drawn from `random`: each field is usually sane and sometimes hostile, so faults also combine. */
export function drawCertificate(random: SeededRandom, keys: FuzzKeys, pki: LeanPki): FuzzCertificate {
  const drawn: string[] = [];
  const draw = <T>(what: Draw<T>, saneIndex: number, hostility: number): T => {
    const [label, make] = random.next() < hostility ? random.pick(what) : what[saneIndex]!;
    drawn.push(label);
    return make(random);
  };
  const subjectKey = random.pick(keys.subjects);
  const shape = random.pick(SHAPES);
  const subject = draw(NAMES, 0, 0.4);
  const extensions = random.next() < 0.3 ? [...draw(EXTENSIONS, 1, 1), ...draw(EXTENSIONS, 1, 1)] : draw(EXTENSIONS, 1, 0.7);
  const fields = {
    serial: draw(SERIALS, 1, 0.5),
    notBefore: draw(TIMES, 0, 0.4),
    notAfter: random.next() < 0.6 ? der.utcTime('491231235959Z') : draw(TIMES, 12, 1),
    subject,
    publicKey: subjectKey.publicKey,
    extensions,
  };
  const intermediate = shape.startsWith('partner') ? pki.partnerIntermediate : pki.intermediate;
  const issuer = shape === 'self-signed' ? subject : der.subjectNameOf(intermediate.certificatePem);
  const signer = shape === 'self-signed' ? subjectKey.privateKey : shape === 'wrong signer' ? keys.impostor : createPrivateKey(intermediate.privateKeyPem);
  // Ed25519 signs only as itself: a self-signed Ed25519 certificate is an Ed25519 signature.
  const { pem } = der.buildCertificate({ ...fields, issuer }, signer);
  return {
    description: `${subjectKey.label}, ${shape}: ${drawn.join(', ')}`,
    certificatePem: pem,
    key: subjectKey.privateKey,
    ...(shape === 'partner with chain' ? { chainPem: pki.partnerIntermediate.certificatePem } : {}),
  };
}
