import { MatchSet, resolve } from "./beam";
import type { ParaphraseTable } from "./paraphrase";
import { SynonymIndex } from "./synonym-index";

/** Matcher modules in Meteor's numbering. */
export type MeteorModule = "exact" | "stem" | "synonym" | "paraphrase";

/** One sentence prepared for alignment: words and the per-word keys every module compares. */
export interface PreparedSentence {
  words: readonly string[];
  /** The scorer's interned id of each word (equal words, equal ids). */
  wordIds: Int32Array;
  /** Java String.hashCode of each word (Meteor compares words by it). */
  keys: Int32Array;
  /** hashCode of each word's stem (stem module), when the stem module is on. */
  stemKeys?: Int32Array;
  /** Synsets of each word and its base forms (synonym module). */
  synsets?: readonly (readonly number[])[];
  /** Paraphrase-table word ids (paraphrase module), -1 for unknown words. */
  paraIds?: readonly number[];
  /** 1 where the word is a function word. */
  isFunction: Uint8Array;
}

/** Result of aligning a test sentence (line 1) to a reference (line 2). */
export interface Alignment {
  testLength: number;
  referenceLength: number;
  testFunctionWords: number;
  referenceFunctionWords: number;
  /** Per module: matched content / function words in the test and in the reference. */
  testContent: number[];
  referenceContent: number[];
  testFunction: number[];
  referenceFunction: number[];
  chunks: number;
}

export interface AlignerConfig {
  modules: readonly MeteorModule[];
  beamSize: number;
  paraphrase?: ParaphraseTable;
  /** The scorer's synonym index (every word id registered); needed by the synonym module. */
  synonyms?: SynonymIndex;
}

/** Weights the aligner ranks partial alignments by (MeteorScorer: exact 1.0, every other module 0.5). */
function searchWeight(module: MeteorModule): number {
  return module === "exact" ? 1 : 0.5;
}

/**
 * Meteor 1.5's aligner: every module adds its candidate matches (exact, then stem, synonym, paraphrase, each
 * only between words not equal under the previous key), one-to-one uncontested matches are fixed, and a beam
 * search (beam 40) over reference positions picks the alignment. Reproduces Meteor's integer arithmetic in the
 * search (weighted match counts are Java ints, so a 0.5-weighted single-word match adds nothing) and its
 * bookkeeping exactly, since those decide which alignment wins.
 */
export function align(test: PreparedSentence, ref: PreparedSentence, config: AlignerConfig): Alignment {
  return alignCollected(test, ref, config, collectMatches(test, ref, config));
}

/**
 * The candidate matches of every module between `test` and `ref` (the first half of `align`), in a pooled
 * MatchSet that stays valid until the next call.
 */
export function collectMatches(test: PreparedSentence, ref: PreparedSentence, config: AlignerConfig): MatchSet {
  const n1 = test.words.length;
  const n2 = ref.words.length;
  const { modules } = config;
  const ms = matchSet;
  ms.reset(n2);
  const k1 = test.keys;
  const k2 = ref.keys;
  let identical = n1 === n2;
  for (let i = 0; identical && i < n1; i++) if (k1[i] !== k2[i]) identical = false;
  const modsUsed = identical ? 1 : modules.length; // a scorer has 1 to 4 modules

  for (let mod = 0; mod < modsUsed; mod++) {
    const kind = modules[mod]!;
    if (kind === "exact") {
      for (let j = 0; j < n2; j++) for (let i = 0; i < n1; i++) if (k1[i] === k2[j]) ms.add(j, 1, i, 1, mod);
    } else if (kind === "stem") {
      const s1 = test.stemKeys!;
      const s2 = ref.stemKeys!;
      for (let j = 0; j < n2; j++)
        for (let i = 0; i < n1; i++) if (s1[i] === s2[j] && k1[i] !== k2[j]) ms.add(j, 1, i, 1, mod);
    } else if (kind === "synonym") {
      // Pairs whose synset sets intersect, as bit masks of test positions per reference word type (by blocks of
      // 31 test words; for each j the test positions still come in ascending order).
      const syn = config.synonyms!;
      const ids2 = ref.wordIds;
      for (let base = 0; base < n1; base += SynonymIndex.BLOCK) {
        syn.begin(test, test.wordIds, base);
        for (let j = 0; j < n2; j++) {
          let mask = syn.partners(ids2[j]!);
          while (mask !== 0) {
            const i = base + 31 - Math.clz32(mask & -mask);
            mask &= mask - 1;
            if (k1[i] !== k2[j]) ms.add(j, 1, i, 1, mod);
          }
        }
      }
    } else {
      paraphraseMatches(test.paraIds!, ref.paraIds!, config.paraphrase!, mod, ms);
    }
  }
  ms.index();
  return ms;
}

/** The second half of `align`: the alignment picked from the matches `collectMatches` just returned. */
export function alignCollected(
  test: PreparedSentence,
  ref: PreparedSentence,
  config: AlignerConfig,
  ms: MatchSet,
): Alignment {
  const n1 = test.words.length;
  const n2 = ref.words.length;
  const { modules } = config;
  const weights = modules.map(searchWeight);
  const { first, byStart, start, length, matchStart, matchLength, module } = ms;

  // How many matches cover each word.
  const cov1 = scratch(0, n1);
  const cov2 = scratch(1, n2);
  for (let m = 0; m < ms.count; m++) {
    for (let k = 0; k < matchLength[m]!; k++) cov1[matchStart[m]! + k]!++;
    for (let k = 0; k < length[m]!; k++) cov2[start[m]! + k]!++;
  }
  // One-to-one, non-overlapping matches are definite.
  const fixed = scratch(2, n2);
  fixed.fill(-1, 0, n2);
  for (let j = 0; j < n2; j++) {
    if (first[j + 1]! - first[j]! !== 1) continue;
    const m = byStart[first[j]!]!;
    let overlap = false;
    for (let k = 0; k < length[m]!; k++) if (cov2[j + k] !== 1) overlap = true;
    for (let k = 0; k < matchLength[m]!; k++) if (cov1[matchStart[m]! + k] !== 1) overlap = true;
    if (!overlap) fixed[j] = m;
  }

  // Without a contested match the beam search can only return the fixed matches: skip it.
  let contested = false;
  for (let j = 0; j < n2 && !contested; j++) {
    const count = first[j + 1]! - first[j]!;
    if (count > 1 || (count === 1 && fixed[j] === -1)) contested = true;
    else if (count === 1 && (length[byStart[first[j]!]!]! > 1 || matchLength[byStart[first[j]!]!]! > 1))
      contested = true;
  }
  const best = scratch(3, n2);
  if (contested) resolve(ms, fixed, n1, weights, config.beamSize, best);
  else best.set(fixed.subarray(0, n2));

  const testContent = new Array<number>(modules.length).fill(0);
  const referenceContent = new Array<number>(modules.length).fill(0);
  const testFunction = new Array<number>(modules.length).fill(0);
  const referenceFunction = new Array<number>(modules.length).fill(0);
  for (let j = 0; j < n2; j++) {
    const m = best[j]!;
    if (m === -1) continue;
    const mod = module[m]!;
    for (let k = 0; k < matchLength[m]!; k++) {
      if (test.isFunction[matchStart[m]! + k]) testFunction[mod]!++;
      else testContent[mod]!++;
    }
    for (let k = 0; k < length[m]!; k++) {
      if (ref.isFunction[start[m]! + k]) referenceFunction[mod]!++;
      else referenceContent[mod]!++;
    }
  }
  let testFunctionWords = 0;
  for (let i = 0; i < n1; i++) testFunctionWords += test.isFunction[i]!;
  let referenceFunctionWords = 0;
  for (let j = 0; j < n2; j++) referenceFunctionWords += ref.isFunction[j]!;
  return {
    testLength: n1,
    referenceLength: n2,
    testFunctionWords,
    referenceFunctionWords,
    testContent,
    referenceContent,
    testFunction,
    referenceFunction,
    chunks: countChunks(ms, best, n2),
  };
}

function paraphraseMatches(
  line1: readonly number[],
  line2: readonly number[],
  pt: ParaphraseTable,
  mod: number,
  ms: MatchSet,
): void {
  // Paraphrases in line 1 of phrases in line 2.
  for (let j = 0; j < line2.length; j++) {
    const pars = pt.referencePaths(line2, j);
    for (let p = 0; p < pars.length; p += 2) {
      const len = pars[p]!;
      const words = pt.paraphrase(pars[p + 1]!);
      for (let i = 0; i < line1.length; i++) {
        if (phraseAt(line1, i, words)) ms.add(j, len, i, words.length, mod);
      }
    }
  }
  // Paraphrases in line 2 of phrases in line 1.
  for (let i = 0; i < line1.length; i++) {
    const pars = pt.referencePaths(line1, i);
    for (let p = 0; p < pars.length; p += 2) {
      const len = pars[p]!;
      const words = pt.paraphrase(pars[p + 1]!);
      for (let j = 0; j < line2.length; j++) {
        if (phraseAt(line2, j, words)) ms.add(j, words.length, i, len, mod);
      }
    }
  }
}

function phraseAt(line: readonly number[], at: number, words: readonly number[]): boolean {
  for (let k = 0; k < words.length; k++) if (at + k === line.length || line[at + k] !== words[k]) return false;
  return true;
}

/** Chunks of an alignment: runs of matches contiguous and in order in both sentences. */
function countChunks(ms: MatchSet, matches: Int32Array, n: number): number {
  let chunks = 0;
  let idx = 0;
  let lastMatchEnd = -1;
  while (idx < n) {
    const m = matches[idx]!;
    if (m === -1) {
      if (lastMatchEnd !== -1) {
        chunks++;
        lastMatchEnd = -1;
      }
      idx++;
    } else {
      if (lastMatchEnd !== -1 && ms.matchStart[m] !== lastMatchEnd) chunks++;
      idx = ms.start[m]! + ms.length[m]!;
      lastMatchEnd = ms.matchStart[m]! + ms.matchLength[m]!;
    }
  }
  if (lastMatchEnd !== -1) chunks++;
  return chunks;
}

const matchSet = new MatchSet();
const scratchArrays: Int32Array[] = [];

/** Pooled scratch array number `slot`, at least `size` long, its first `size` entries zero. */
function scratch(slot: number, size: number): Int32Array {
  let a = scratchArrays[slot];
  if (a === undefined || a.length < size) {
    a = new Int32Array(Math.max(64, 2 * size));
    scratchArrays[slot] = a;
  } else a.fill(0, 0, size);
  return a;
}
