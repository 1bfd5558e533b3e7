/**
 * How the sandbox compares a name a client sends with the name it holds (an account holder, an
 * entity's identity). One rule for every verification, stated here and in the README:
 *
 * 1. Normalise each name: Unicode NFKD; combining marks dropped (é → e, Arabic tashkeel); tatweel
 *    dropped; lower case; apostrophes dropped (O'Neil → oneil); any other punctuation or symbol, and
 *    any whitespace or joiner (NBSP, ZWNJ, ideographic space), separates words.
 * 2. Drop honorifics (mr, mrs, ms, miss, mx, dr, prof, eng, sir, madam, السيد, السيدة) unless that
 *    would leave no word; join the particles `al`/`el` to the word after them (Al-Sheikh, Al Sheikh
 *    and AlSheikh are all `alsheikh`).
 * 3. Compare the two sets of words:
 *    - equal sets → MATCH (score 1);
 *    - otherwise, with S the name of fewer words and L the other (either way round when they have
 *      as many): when every word of S stands for a different word of L (the same word, or a one-letter initial of it) and L's first and last
 *      words (given and family name) are among those → PARTIAL_MATCH, score 0.7 + 0.29 × (words in
 *      both) / (words of L), two decimals;
 *    - else NO_MATCH, score 0.69 × (words in both) / (words of the longer name), two decimals.
 * Lean's docs put the line between partial and no match at 0.7; the scores keep to that.
 */

export type NameMatch = 'MATCH' | 'PARTIAL_MATCH' | 'NO_MATCH';

export interface NameComparison {
  match: NameMatch;
  /** 0–1: 1 for MATCH, 0.70–0.99 for PARTIAL_MATCH, below 0.70 for NO_MATCH. */
  score: number;
}

const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'eng', 'sir', 'madam', 'السيد', 'السيدة']);
const PARTICLES = new Set(['al', 'el']);

/** The words of a name after steps 1 and 2 of the rule. */
export function nameWords(name: string): string[] {
  const plain = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/\u0640/g, '')
    .toLowerCase()
    .replace(/['’ʼ‘`]/g, '')
    .replace(/[\p{P}\p{S}\p{Z}\s\u200b-\u200d\u2060\ufeff]+/gu, ' ')
    .trim();
  const words = plain === '' ? [] : plain.split(' ');
  const titled = words.filter((word) => !HONORIFICS.has(word));
  const kept = titled.length > 0 ? titled : words;
  const joined: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    const word = kept[i]!;
    if (PARTICLES.has(word) && i + 1 < kept.length) {
      joined.push(word + kept[++i]!);
    } else joined.push(word);
  }
  return joined;
}

export function compareNames(provided: string, held: string): NameComparison {
  const a = [...new Set(nameWords(provided))];
  const b = [...new Set(nameWords(held))];
  if (a.length === 0 || b.length === 0) return { match: 'NO_MATCH', score: 0 };
  const shared = a.filter((word) => b.includes(word)).length;
  if (shared === a.length && shared === b.length) return { match: 'MATCH', score: 1 };
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  // Names of as many words can stand for each other either way round ("Garry" / "G").
  if (coversEnds(short, long) || (short.length === long.length && coversEnds(long, short))) return { match: 'PARTIAL_MATCH', score: round2(0.7 + (0.29 * shared) / long.length) };
  return { match: 'NO_MATCH', score: round2((0.69 * shared) / long.length) };
}

/** Whether each word of `short` stands for a different word of `long`, the first and last of `long` among them. */
function coversEnds(short: readonly string[], long: readonly string[]): boolean {
  const taken = new Set<number>();
  // Whole words first, so an initial cannot take the word another word names in full.
  const order = [...short].sort((x, y) => Number(x.length === 1) - Number(y.length === 1));
  for (const word of order) {
    const exact = long.findIndex((other, i) => !taken.has(i) && other === word);
    const index = exact >= 0 ? exact : word.length === 1 ? long.findIndex((other, i) => !taken.has(i) && other.startsWith(word)) : -1;
    if (index < 0) return false;
    taken.add(index);
  }
  return taken.has(0) && taken.has(long.length - 1);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * A holder name as Lean shows it when ownership is not confirmed: each word's first two letters,
 * then `****` (Lean's sandbox: "Cl**** Ac**** Ho****").
 */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/u)
    .map((word) => `${[...word].slice(0, 2).join('')}****`)
    .join(' ');
}
