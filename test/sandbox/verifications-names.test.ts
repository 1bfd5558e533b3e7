import { describe, expect, it } from 'vitest';
import { seededRandom, type SeededRandom } from '../../src/sandbox/random.js';
import { compareNames, maskName, nameWords } from '../../src/sandbox/verifications/names.js';

/** The name rule verifications share (README "Verifications"), as a table and as properties. */

describe('compareNames', () => {
  it.each([
    ['Michael Garry Scott', 'Michael Garry Scott', 'MATCH', 1],
    ['scott MICHAEL garry', 'Michael Garry Scott', 'MATCH', 1],
    ['Mr. José Müller', 'JOSE MULLER', 'MATCH', 1],
    ['ABBAS AL-SHEIKH', 'Abbas Al Sheikh', 'MATCH', 1],
    ['Abbas AlSheikh', 'ABBAS AL-SHEIKH', 'MATCH', 1],
    ["Liam O'Neil", 'LIAM ONEIL', 'MATCH', 1],
    ['مُحَمَّد عبدالله', 'محمد عبدالله', 'MATCH', 1],
    ['محمد\u00a0\u200cعبدالله', 'محمد عبدالله', 'MATCH', 1],
    ['Dr Fatima Al Mansoori', 'Fatima Al-Mansoori', 'MATCH', 1],
    ['mansoori AL fatima', 'Fatima Al-Mansoori', 'MATCH', 1],
    ['Fatima AlMansoori', 'Fatima Al-Mansoori', 'MATCH', 1],
    // The price of rule 3, stated in the README: a word that merely starts with al/el can pair with its rest.
    ['Alan Smith', 'An Smith', 'MATCH', 1],
    ['Michael Scott', 'Michael Garry Scott', 'PARTIAL_MATCH', 0.89],
    ['M. G. Scott', 'Michael Garry Scott', 'PARTIAL_MATCH', 0.8],
    ['M Scott', 'Michael Garry Scott', 'PARTIAL_MATCH', 0.8],
    ['Adam Mohammed Ahmed', 'Adam Ahmed', 'PARTIAL_MATCH', 0.89],
    ['Michael', 'Michael Garry Scott', 'NO_MATCH', 0.23],
    ['Garry Scott', 'Michael Garry Scott', 'NO_MATCH', 0.46],
    ['Michael Smith', 'Michael Garry Scott', 'NO_MATCH', 0.23],
    ['Jane Doe', 'Michael Garry Scott', 'NO_MATCH', 0],
    ['', 'Michael Garry Scott', 'NO_MATCH', 0],
    ['Mr', 'Mr', 'MATCH', 1],
  ])('%j against %j → %s (%d)', (provided, held, match, score) => {
    expect(compareNames(provided, held)).toEqual({ match, score });
  });

  it('keeps the partial band at or above 0.7 and no match below it, and is symmetric', () => {
    const r = seededRandom(13);
    const pool = ['adam', 'ahmed', 'fatima', 'al', 'mansoori', 'michael', 'm', 'scott', 'garry', 'g', 'sara', 'omar', 'x'];
    for (let i = 0; i < 2_000; i++) {
      const a = Array.from({ length: r.int(1, 4) }, () => r.pick(pool)).join(' ');
      const b = Array.from({ length: r.int(1, 4) }, () => r.pick(pool)).join(' ');
      const result = compareNames(a, b);
      if (result.match === 'PARTIAL_MATCH') expect(result.score, `${a} / ${b}`).toBeGreaterThanOrEqual(0.7);
      if (result.match === 'NO_MATCH') expect(result.score, `${a} / ${b}`).toBeLessThan(0.7);
      expect(compareNames(b, a), `${a} / ${b}`).toEqual(result);
    }
  });

  it('matches any permutation, case, spacing, punctuation and diacritics of the holder’s own name (seeded property)', () => {
    const r = seededRandom(2026);
    const given = ['Fatima', 'Mohammed', 'Jean', 'Zoë', 'محمد', 'Ángel', 'Liam', 'Aïsha'];
    const family = ['Al-Mansoori', 'Dupont', "O'Neil", 'Nuñez', 'عبدالله', 'El Amrani', 'Smith-Jones'];
    for (let i = 0; i < 500; i++) {
      const words = [r.pick(given), ...(r.next() < 0.5 ? [r.pick(given)] : []), r.pick(family)];
      const holder = words.join(' ');
      // Shuffled word by word, particles and hyphenated halves included ("Mansoori Al Fatima").
      const variant = noisy(r, holder.split(/[ -]/));
      expect(compareNames(variant, holder), `${variant} / ${holder}`).toEqual({ match: 'MATCH', score: 1 });
    }
  });
});

/** The same words, shuffled, each re-cased, joined by odd separators, some accents stripped, maybe a title. */
function noisy(r: SeededRandom, words: string[]): string {
  const shuffled = [...words].sort(() => r.next() - 0.5);
  const recased = shuffled.map((word) => {
    const cased = r.pick([word.toUpperCase(), word.toLowerCase(), word]);
    return r.next() < 0.3 ? cased.normalize('NFD').replace(/\p{M}/gu, '') : cased;
  });
  const separators = [' ', '  ', '\t', '\u00a0', ' , ', '\u3000', ' . '];
  const joined = recased.map((word, i) => (i === 0 ? word : r.pick(separators) + word)).join('');
  return `${r.next() < 0.2 ? r.pick(['Mr. ', 'Dr ', 'MRS ']) : ''}${r.pick(['', ' ', '\n'])}${joined}${r.pick(['', ' ', '.'])}`;
}

describe('nameWords and maskName', () => {
  it('drops titles and standalone al/el only when a word is left', () => {
    expect(nameWords('Mr. Al Amin')).toEqual(['amin']);
    expect(nameWords('Dr')).toEqual(['dr']);
    expect(nameWords('Ahmed el')).toEqual(['ahmed']);
    expect(nameWords('Al')).toEqual(['al']);
  });

  it('masks as Lean shows an unconfirmed holder', () => {
    expect(maskName('Closed Account Holder')).toBe('Cl**** Ac**** Ho****');
  });
});
