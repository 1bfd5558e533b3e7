/**
 * How the sandbox compares a name a client sends with the name it holds (an account holder, an
 * entity's identity). One rule for every verification, stated here and in the README:
 *
 * 1. Normalise each name: Unicode NFKD; combining marks dropped (é → e, Arabic tashkeel); tatweel
 *    dropped; lower case; apostrophes dropped (O'Neil → oneil); any other punctuation or symbol, and
 *    any whitespace or joiner (NBSP, ZWNJ, ideographic space), separates words.
 * 2. Drop honorifics (mr, mrs, ms, miss, mx, dr, prof, eng, sir, madam, السيد, السيدة) and the
 *    particles `al`/`el` standing as words of their own, unless that would leave no word.
 * 3. Two words are the same when equal, or when one is the other with `al`/`el` joined in front
 *    (AlSheikh = Sheikh), so Al-Sheikh, Al Sheikh, AlSheikh and "Sheikh … Al" all agree.
 * 4. Compare the two sets of words, pairing each word with at most one of the other name:
 *    - every word of each name paired → MATCH (score 1);
 *    - otherwise, with S the name of fewer words and L the other (either way round when they have
 *      as many): when every word of S stands for a different word of L (the same word, or a
 *      one-letter initial of it) and L's first and last words (given and family name) are among
 *      those → PARTIAL_MATCH, score 0.7 + 0.29 × (paired words) / (words of L), two decimals;
 *    - else NO_MATCH, score 0.69 × (paired words) / (words of the longer name), two decimals.
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
    .replace(/['\u2019\u02BC\u2018`]/g, '')
    .replace(/[\p{P}\p{S}\p{Z}\s\u200b-\u200d\u2060\ufeff]+/gu, ' ')
    .trim();
  const words = plain === '' ? [] : plain.split(' ');
  const kept = words.filter((word) => !HONORIFICS.has(word) && !PARTICLES.has(word));
  return kept.length > 0 ? kept : words;
}

/** Step 3: the same word, or one of them with a particle joined in front. */
function sameWord(x: string, y: string): boolean {
  if (x === y) return true;
  const [long, short] = x.length > y.length ? [x, y] : [y, x];
  return [...PARTICLES].some((particle) => long === particle + short);
}

/** A word or its one-letter initial. */
function standsFor(word: string, other: string): boolean {
  return sameWord(word, other) || (word.length === 1 && other.startsWith(word));
}

export function compareNames(provided: string, held: string): NameComparison {
  const a = [...new Set(nameWords(provided))];
  const b = [...new Set(nameWords(held))];
  if (a.length === 0 || b.length === 0) return { match: 'NO_MATCH', score: 0 };
  const shared = pair(a, b, sameWord).size;
  if (shared === a.length && shared === b.length) return { match: 'MATCH', score: 1 };
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  // Names of as many words can stand for each other either way round ("Garry" / "G").
  if (coversEnds(short, long) || (short.length === long.length && coversEnds(long, short))) {
    return { match: 'PARTIAL_MATCH', score: round2(0.7 + (0.29 * shared) / long.length) };
  }
  return { match: 'NO_MATCH', score: round2((0.69 * shared) / long.length) };
}

/**
 * Pairs words of `from` with different words of `to` (exact pairs first, so a looser pair cannot
 * take a word another names exactly); the indexes of `to` taken, or undefined if a word of `from` found none.
 */
function pair(from: readonly string[], to: readonly string[], same: (x: string, y: string) => boolean): Set<number> {
  const taken = new Set<number>();
  const rest: string[] = [];
  for (const word of from) {
    const exact = to.findIndex((other, i) => !taken.has(i) && other === word);
    if (exact >= 0) taken.add(exact);
    else rest.push(word);
  }
  for (const word of rest) {
    const index = to.findIndex((other, i) => !taken.has(i) && same(word, other));
    if (index >= 0) taken.add(index);
  }
  return taken;
}

/** Whether each word of `short` stands for a different word of `long`, the first and last of `long` among them. */
function coversEnds(short: readonly string[], long: readonly string[]): boolean {
  // Whole words before initials, so an initial cannot take the word another word names in full.
  const ordered = [...short].sort((x, y) => Number(x.length === 1) - Number(y.length === 1));
  const taken = pair(ordered, long, standsFor);
  return taken.size === short.length && taken.has(0) && taken.has(long.length - 1);
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
