/**
 * The Snowball English ("Porter2") stemmer in the revision Meteor 1.5 ships (org.tartarus.snowball.ext.englishStemmer),
 * written from the algorithm with that revision's details: exceptional forms (skis, dying, ...), the
 * gener/commun/arsen region prefixes, and Step 1b's "short word" test as `p1 == length`. Works on UTF-16 code
 * units like the Java original; only a e i o u y are vowels (an upper-case Y marks a consonant y).
 * Checked against the Java stemmer on every WordNet word form and every MSR-VTT caption word
 * (tools/metrics/stemmer_check.sh).
 */

const EXCEPTION1: ReadonlyMap<string, string> = new Map([
  ["skis", "ski"],
  ["skies", "sky"],
  ["dying", "die"],
  ["lying", "lie"],
  ["tying", "tie"],
  ["idly", "idl"],
  ["gently", "gentl"],
  ["ugly", "ugli"],
  ["early", "earli"],
  ["only", "onli"],
  ["singly", "singl"],
  ["sky", "sky"],
  ["news", "news"],
  ["howe", "howe"],
  ["atlas", "atlas"],
  ["cosmos", "cosmos"],
  ["bias", "bias"],
  ["andes", "andes"],
]);

const EXCEPTION2 = new Set(["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"]);

/** Suffix tables: [suffix, action], searched longest first (Snowball `among` semantics). */
type Table = readonly (readonly [string, number])[];
const byLength = (t: Table): Table => [...t].sort((a, b) => b[0].length - a[0].length);

const STEP1A: Table = byLength([
  ["sses", 1],
  ["ied", 2],
  ["ies", 2],
  ["s", 3],
  ["ss", 0],
  ["us", 0],
]);
const STEP1B: Table = byLength([
  ["eed", 1],
  ["eedly", 1],
  ["ed", 2],
  ["edly", 2],
  ["ing", 2],
  ["ingly", 2],
]);
const STEP1B_END: Table = byLength([
  ["at", 1],
  ["bl", 1],
  ["iz", 1],
  ["bb", 2],
  ["dd", 2],
  ["ff", 2],
  ["gg", 2],
  ["mm", 2],
  ["nn", 2],
  ["pp", 2],
  ["rr", 2],
  ["tt", 2],
]);
const STEP2: Table = byLength([
  ["tional", 1],
  ["enci", 2],
  ["anci", 3],
  ["abli", 4],
  ["entli", 5],
  ["izer", 6],
  ["ization", 6],
  ["ational", 7],
  ["ation", 7],
  ["ator", 7],
  ["alism", 8],
  ["aliti", 8],
  ["alli", 8],
  ["fulness", 9],
  ["ousli", 10],
  ["ousness", 10],
  ["iveness", 11],
  ["iviti", 11],
  ["biliti", 12],
  ["bli", 12],
  ["ogi", 13],
  ["fulli", 14],
  ["lessli", 15],
  ["li", 16],
]);
const STEP2_REPL: Record<number, string> = {
  1: "tion",
  2: "ence",
  3: "ance",
  4: "able",
  5: "ent",
  6: "ize",
  7: "ate",
  8: "al",
  9: "ful",
  10: "ous",
  11: "ive",
  12: "ble",
  14: "ful",
  15: "less",
};
const STEP3: Table = byLength([
  ["tional", 1],
  ["ational", 2],
  ["alize", 3],
  ["icate", 4],
  ["iciti", 4],
  ["ical", 4],
  ["ful", 5],
  ["ness", 5],
  ["ative", 6],
]);
const STEP3_REPL: Record<number, string> = { 1: "tion", 2: "ate", 3: "al", 4: "ic" };
const STEP4: Table = byLength([
  ...[
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
  ].map((s): readonly [string, number] => [s, 1]),
  ["ion", 2],
]);

/** A suffix table split by the suffix's last letter (same order within a letter: longest first), by char code. */
function bucketsOf(table: Table): (Table | undefined)[] {
  const b: (readonly [string, number])[][] = [];
  for (let c = 0; c < 128; c++) b.push([]);
  for (const e of table) b[e[0].charCodeAt(e[0].length - 1)]!.push(e);
  return b.map((list) => (list.length > 0 ? list : undefined));
}
const STEP1A_B = bucketsOf(STEP1A);
const STEP1B_B = bucketsOf(STEP1B);
const STEP1B_END_B = bucketsOf(STEP1B_END);
const STEP2_B = bucketsOf(STEP2);
const STEP3_B = bucketsOf(STEP3);
const STEP4_B = bucketsOf(STEP4);

function findSuffix(w: string, buckets: (Table | undefined)[]): readonly [string, number] | undefined {
  const c = w.charCodeAt(w.length - 1);
  const candidates = c < 128 ? buckets[c] : undefined;
  if (candidates !== undefined)
    for (let i = 0; i < candidates.length; i++) if (w.endsWith(candidates[i]![0])) return candidates[i];
  return undefined;
}

/** a e i o u y (lower case only; 'Y' is a consonant). */
function isVowel(c: number): boolean {
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121;
}

/** Snowball `v_WXY`: vowels plus w, x and Y. */
function isVowelWXY(c: number): boolean {
  return isVowel(c) || c === 119 || c === 120 || c === 89;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (isVowel(w.charCodeAt(i))) return true;
  return false;
}

/** Position after the first non-vowel that follows a vowel, searching from `start`; -1 if none. */
function regionAfter(w: string, start: number): number {
  let i = start;
  while (i < w.length && !isVowel(w.charCodeAt(i))) i++;
  if (i >= w.length) return -1;
  i++;
  while (i < w.length && isVowel(w.charCodeAt(i))) i++;
  if (i >= w.length) return -1;
  return i + 1;
}

/** Short syllable ending at `end`: non-vowel, vowel, non-vowel-or-wxY; or vowel + non-vowel at the start. */
function shortSyllable(w: string, end: number): boolean {
  if (end >= 3) {
    const c3 = w.charCodeAt(end - 1);
    const c2 = w.charCodeAt(end - 2);
    const c1 = w.charCodeAt(end - 3);
    if (!isVowelWXY(c3) && isVowel(c2) && !isVowel(c1)) return true;
  }
  return end === 2 && !isVowel(w.charCodeAt(1)) && isVowel(w.charCodeAt(0));
}

/**
 * Stem one word as Meteor 1.5's Snowball English stemmer does.
 *
 * @param word - One word.
 * @returns Its stem.
 */
export function stemEnglish(word: string): string {
  const exc = EXCEPTION1.get(word);
  if (exc !== undefined) return exc;
  if (word.length < 3) return word;

  // prelude: drop a leading apostrophe; initial y and y after a vowel become Y.
  let w = word.charCodeAt(0) === 39 ? word.slice(1) : word;
  let yFound = false;
  if (w.includes("y")) {
    // Left to right, each y seen after the previous char's own update (a Y is not a vowel).
    let marked = "";
    let from = 0;
    let prev = -1;
    for (let i = 0; i < w.length; i++) {
      let c = w.charCodeAt(i);
      if (c === 121 && (i === 0 || isVowel(prev))) {
        marked += `${w.slice(from, i)}Y`;
        from = i + 1;
        c = 89;
        yFound = true;
      }
      prev = c;
    }
    if (yFound) w = marked + w.slice(from);
  }

  // mark_regions
  let p1 = w.length;
  let p2 = w.length;
  let r1Start = -1;
  if (w.startsWith("gener")) r1Start = 5;
  else if (w.startsWith("commun")) r1Start = 6;
  else if (w.startsWith("arsen")) r1Start = 5;
  if (r1Start < 0) r1Start = regionAfter(w, 0);
  if (r1Start >= 0) {
    p1 = r1Start;
    const r2 = regionAfter(w, p1);
    if (r2 >= 0) p2 = r2;
  }

  // Step 1a
  if (w.endsWith("'s'")) w = w.slice(0, -3);
  else if (w.endsWith("'s")) w = w.slice(0, -2);
  else if (w.endsWith("'")) w = w.slice(0, -1);
  const s1a = findSuffix(w, STEP1A_B);
  if (s1a) {
    const start = w.length - s1a[0].length;
    if (s1a[1] === 1) w = `${w.slice(0, start)}ss`;
    else if (s1a[1] === 2) w = w.slice(0, start) + (start >= 2 ? "i" : "ie");
    else if (s1a[1] === 3 && start >= 1 && hasVowel(w, start - 1)) w = w.slice(0, start);
  }

  if (!EXCEPTION2.has(w)) {
    // Step 1b
    const s1b = findSuffix(w, STEP1B_B);
    if (s1b) {
      const start = w.length - s1b[0].length;
      if (s1b[1] === 1) {
        if (p1 <= start) w = `${w.slice(0, start)}ee`;
      } else if (hasVowel(w, start)) {
        w = w.slice(0, start);
        const end = findSuffix(w, STEP1B_END_B);
        if (end?.[1] === 1) w += "e";
        else if (end?.[1] === 2) w = w.slice(0, -1);
        else if (!end && w.length === p1 && shortSyllable(w, w.length)) w += "e";
      }
    }
    // Step 1c
    const n1c = w.length;
    if (n1c >= 3) {
      const last = w.charCodeAt(n1c - 1);
      if ((last === 121 || last === 89) && !isVowel(w.charCodeAt(n1c - 2))) w = `${w.slice(0, -1)}i`;
    }
    // Step 2
    const s2 = findSuffix(w, STEP2_B);
    if (s2) {
      const start = w.length - s2[0].length;
      if (p1 <= start) {
        const act = s2[1];
        if (act === 13) {
          if (start >= 1 && w.charCodeAt(start - 1) === 108) w = `${w.slice(0, start)}og`;
        } else if (act === 16) {
          if (start >= 1 && "cdeghkmnrt".includes(w[start - 1]!)) w = w.slice(0, start);
        } else {
          w = w.slice(0, start) + STEP2_REPL[act]!;
        }
      }
    }
    // Step 3
    const s3 = findSuffix(w, STEP3_B);
    if (s3) {
      const start = w.length - s3[0].length;
      if (p1 <= start) {
        const act = s3[1];
        if (act === 5) w = w.slice(0, start);
        else if (act === 6) {
          if (p2 <= start) w = w.slice(0, start);
        } else w = w.slice(0, start) + STEP3_REPL[act]!;
      }
    }
    // Step 4
    const s4 = findSuffix(w, STEP4_B);
    if (s4) {
      const start = w.length - s4[0].length;
      if (p2 <= start) {
        if (s4[1] === 1) w = w.slice(0, start);
        else if (start >= 1 && (w[start - 1] === "s" || w[start - 1] === "t")) w = w.slice(0, start);
      }
    }
    // Step 5
    const n5 = w.length;
    if (n5 >= 1) {
      const last = w.charCodeAt(n5 - 1);
      const start = n5 - 1;
      if (last === 101) {
        if (p2 <= start || (p1 <= start && !shortSyllable(w, start))) w = w.slice(0, start);
      } else if (last === 108) {
        if (p2 <= start && start >= 1 && w.charCodeAt(start - 1) === 108) w = w.slice(0, start);
      }
    }
  }

  return yFound ? w.replaceAll("Y", "y") : w;
}
