import { javaTokenize } from "../text";
import { readLines, readResource, readResourceBytes } from "./resources";
import { SortedLinePairs } from "./sorted-lines";

/** WordNet suffix rules for morphological base forms (WordNet 3 morph, as Meteor's SynonymDictionary.morph). */
const SUFFIX = [
  "s",
  "ses",
  "xes",
  "zes",
  "ches",
  "shes",
  "men",
  "ies",
  "s",
  "ies",
  "es",
  "es",
  "ed",
  "ed",
  "ing",
  "ing",
  "er",
  "est",
  "er",
  "est",
];
const ENDING = ["", "s", "x", "z", "ch", "sh", "man", "y", "", "y", "e", "", "e", "", "e", "", "", "", "e", "e"];

const EMPTY: readonly number[] = [];

/**
 * Meteor 1.5's WordNet synonym dictionary: word -> synset ids (english.synsets), irregular forms -> base words
 * (english.exceptions), and WordNet's suffix rules for regular forms. Two words are synonyms when the synsets of
 * the words and of their base forms intersect.
 */
export class SynonymDictionary {
  /** The synsets file read in place (sorted ASCII, the shipped one); else `wordToSynsets`. */
  private readonly sorted?: SortedLinePairs;
  /** pair index in `sorted` -> its parsed synset ids. */
  private readonly parsed: (readonly number[] | undefined)[] = [];
  /** word -> its synset line, parsed on first use (most of the 147k words are never looked up). */
  private readonly wordToSynsets = new Map<string, string | readonly number[]>();
  private readonly wordToBases = new Map<string, string[]>();
  private readonly cache = new Map<string, readonly number[]>();

  /** `synsets`: english.synsets as text, or as bytes (read in place when sorted ASCII, else decoded as UTF-8). */
  constructor(synsets: string | Uint8Array, exceptionsText: string) {
    const exc = readLines(exceptionsText);
    for (let i = 0; i + 1 < exc.length; i += 2) {
      const base = exc[i]!;
      for (const form of javaTokenize(exc[i + 1]!)) {
        const bases = this.wordToBases.get(form);
        if (bases) bases.push(base);
        else this.wordToBases.set(form, [base]);
      }
    }
    if (typeof synsets !== "string") {
      this.sorted = SortedLinePairs.from(synsets);
      if (this.sorted) return;
      synsets = new TextDecoder().decode(synsets);
    }
    const syn = readLines(synsets);
    for (let i = 0; i + 1 < syn.length; i += 2) {
      this.wordToSynsets.set(syn[i]!, syn[i + 1]!);
    }
  }

  /** Load english.synsets(.gz) and english.exceptions(.gz) from a folder. */
  static load(dir: string): SynonymDictionary {
    return new SynonymDictionary(readResourceBytes(dir, "english.synsets"), readResource(dir, "english.exceptions"));
  }

  private synsets(word: string): readonly number[] {
    const sorted = this.sorted;
    if (sorted) {
      const p = sorted.find(word);
      if (p < 0) return EMPTY;
      let ids = this.parsed[p];
      if (ids === undefined) {
        ids = parseIdBytes(sorted, sorted.valueStart(p), sorted.valueEnd(p));
        this.parsed[p] = ids;
      }
      return ids;
    }
    const v = this.wordToSynsets.get(word);
    if (v === undefined) return EMPTY;
    if (typeof v !== "string") return v;
    const ids = parseIds(v);
    this.wordToSynsets.set(word, ids);
    return ids;
  }

  private has(word: string): boolean {
    return this.sorted ? this.sorted.find(word) >= 0 : this.wordToSynsets.has(word);
  }

  /** Synsets of the word's base forms: listed exceptions, else the first suffix rule that gives a WordNet word. */
  private stemSynsets(word: string): readonly number[] {
    const bases = this.wordToBases.get(word);
    if (bases) return bases.flatMap((b) => this.synsets(b));
    return this.synsets(this.morph(word));
  }

  private morph(word: string): string {
    // Words ending in "ful" can never end in one of the suffixes below, so WordNet's "ful" handling is moot.
    if (word.endsWith("ss") || word.length <= 2) return word;
    for (let i = 0; i < SUFFIX.length; i++) {
      const suffix = SUFFIX[i]!;
      if (word.endsWith(suffix)) {
        const base = word.slice(0, word.length - suffix.length) + ENDING[i]!;
        if (this.has(base)) return base;
      }
    }
    return "";
  }

  /** All synsets of a word and of its base forms, without repeats (cached). */
  allSynsets(word: string): readonly number[] {
    let ids = this.cache.get(word);
    if (!ids) {
      ids = union(this.synsets(word), this.stemSynsets(word));
      this.cache.set(word, ids);
    }
    return ids;
  }
}

/**
 * The synset ids of one english.synsets line: Java StringTokenizer tokens (" \t\n\r\f" separated) read as
 * decimal integers, as `Integer.parseInt` (Meteor's files hold plain unsigned decimals; anything else falls back to
 * `Number.parseInt` on the token).
 */
function parseIds(line: string): number[] {
  return parseIdTokens(
    (i) => line.charCodeAt(i),
    (start, end) => line.slice(start, end),
    0,
    line.length,
  );
}

/** `parseIds` of the ASCII bytes [start, end) of a sorted synsets file. */
function parseIdBytes(t: SortedLinePairs, from: number, end: number): number[] {
  return parseIdTokens(
    (i) => t.byte(i),
    (start, stop) => t.text(start, stop),
    from,
    end,
  );
}

/** The tokenizer behind both: `code(i)` reads a character code, `text(start, end)` the token for the fallback. */
function parseIdTokens(
  code: (i: number) => number,
  text: (start: number, end: number) => string,
  from: number,
  end: number,
): number[] {
  const out: number[] = [];
  let i = from;
  while (i < end) {
    let c = code(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c) {
      i++;
      continue;
    }
    const start = i;
    let v = 0;
    let plain = true;
    while (i < end) {
      c = code(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c) break;
      if (c >= 0x30 && c <= 0x39 && i - start < 9) v = v * 10 + (c - 0x30);
      else plain = false;
      i++;
    }
    out.push(plain ? v : Number.parseInt(text(start, i), 10));
  }
  return out;
}

/** `[...new Set([...a, ...b])]` without the intermediate arrays: a then b, first occurrences only. */
function union(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (const x of a) if (!out.includes(x)) out.push(x);
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}
