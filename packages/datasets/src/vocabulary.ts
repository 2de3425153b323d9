import { TavtError, writeFileAtomic } from "@tavt/core";
import { tokenize } from "@tavt/metrics";
import { readTextFile } from "./readText";

/** Special tokens and their ids: `<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3. */
export const SPECIAL_TOKENS = ["<pad>", "<bos>", "<eos>", "<unk>"] as const;
/** The padding token id, 0. */
export const PAD_ID = 0;
/** The `<bos>` token id, 1. */
export const BOS_ID = 1;
/** The `<eos>` token id, 2. */
export const EOS_ID = 2;
/** The `<unk>` token id, 3. */
export const UNK_ID = 3;

/** The JSON a vocabulary is saved as. */
export interface VocabularyFile {
  format: "tavt-vocabulary";
  version: 1;
  minCount: number;
  /** Every token in id order, the 4 special tokens first. */
  words: string[];
  /** How often each word was seen when the vocabulary was built (same order; 0 for the special tokens). */
  counts: number[];
}

/**
 * The caption tokens, exactly as `@tavt/metrics` tokenizes for evaluation (PTB-style, lowercased).
 *
 * @param caption - One caption.
 * @returns Its tokens.
 */
export function captionTokens(caption: string): string[] {
  const out: unknown = tokenize(caption);
  return Array.isArray(out)
    ? (out as string[])
    : String(out)
        .split(" ")
        .filter((w) => w.length > 0);
}

/** Options of `buildVocabulary`: the minimum count for a word to get its own id (default 3). */
export interface BuildVocabularyOptions {
  /** Words seen fewer than this many times become `<unk>` (default 3, as the paper). */
  minCount?: number;
}

/**
 * Word <-> id mapping over the metrics tokenizer. Ids: the 4 special tokens, then the words seen at least
 * `minCount` times, most frequent first (ties alphabetical), so a build is deterministic.
 */
export class Vocabulary {
  readonly words: readonly string[];
  readonly counts: readonly number[];
  readonly minCount: number;
  private readonly index: Map<string, number>;

  private constructor(words: string[], counts: number[], minCount: number) {
    this.words = words;
    this.counts = counts;
    this.minCount = minCount;
    this.index = new Map(words.map((w, i) => [w, i]));
  }

  /**
   * Build from captions (the paper's joint vocabulary: pass source and target captions alike).
   *
   * @param captions - Every caption to count words in.
   * @param options - `minCount`: the fewest occurrences a word needs to be kept (3 by default).
   * @returns The vocabulary: the special tokens, then the kept words.
   * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a `minCount` that is not a positive integer.
   */
  static build(captions: Iterable<string>, options: BuildVocabularyOptions = {}): Vocabulary {
    const minCount = options.minCount ?? 3;
    if (!(Number.isInteger(minCount) && minCount >= 1)) {
      throw new TavtError("BAD_CONFIG", `vocabulary: minCount must be a positive integer, got ${minCount}`, {
        field: "minCount",
      });
    }
    const counts = new Map<string, number>();
    for (const c of captions) for (const w of captionTokens(c)) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const s of SPECIAL_TOKENS) counts.delete(s);
    const kept = [...counts.entries()]
      .filter(([, n]) => n >= minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return new Vocabulary(
      [...SPECIAL_TOKENS, ...kept.map(([w]) => w)],
      [0, 0, 0, 0, ...kept.map(([, n]) => n)],
      minCount,
    );
  }

  /** Tokens including the 4 special ones. */
  get size(): number {
    return this.words.length;
  }

  /**
   * The id of a word (`<unk>`'s id for words not kept).
   *
   * @param word - A token.
   * @returns Its id, or `<unk>`'s.
   */
  id(word: string): number {
    return this.index.get(word) ?? UNK_ID;
  }

  /**
   * The token of an id.
   *
   * @param id - A token id.
   * @returns The token.
   * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for an id out of range.
   */
  word(id: number): string {
    const w = this.words[id];
    if (w === undefined) {
      throw new TavtError("BAD_INPUT", `vocabulary: id ${id} is out of range 0..${this.words.length - 1}`, { id });
    }
    return w;
  }

  /**
   * A caption's word ids (no `<bos>`/`<eos>`), words not kept mapped to `<unk>`.
   *
   * @param caption - One caption.
   * @returns Its word ids.
   */
  encode(caption: string): number[] {
    return captionTokens(caption).map((w) => this.id(w));
  }

  /**
   * Ids back to text: stops at `<eos>`, skips `<pad>` and `<bos>`, keeps `<unk>`.
   *
   * @param ids - Token ids.
   * @returns The words joined by spaces.
   */
  decode(ids: Iterable<number>): string {
    const out: string[] = [];
    for (const id of ids) {
      if (id === EOS_ID) break;
      if (id === PAD_ID || id === BOS_ID) continue;
      out.push(this.word(id));
    }
    return out.join(" ");
  }

  toJSON(): VocabularyFile {
    return {
      format: "tavt-vocabulary",
      version: 1,
      minCount: this.minCount,
      words: [...this.words],
      counts: [...this.counts],
    };
  }

  /**
   * Rebuild from `toJSON()`'s output; `file` names the source in errors.
   *
   * @param json - The parsed file.
   * @param file - The file's name, for errors.
   * @returns The vocabulary.
   * @throws `TavtError` (from `@tavt/core`) `BAD_FILE` for a file that is not a vocabulary.
   */
  static fromJSON(json: unknown, file = "vocabulary"): Vocabulary {
    const o = json as Partial<VocabularyFile> | null;
    const words = o?.words;
    const counts = o?.counts;
    if (
      !o ||
      o.format !== "tavt-vocabulary" ||
      !Array.isArray(words) ||
      words.some((w) => typeof w !== "string") ||
      !Array.isArray(counts) ||
      counts.length !== words.length
    ) {
      throw new TavtError(
        "BAD_FILE",
        `${file}: expected {"format": "tavt-vocabulary", "words": [...], "counts": [...]} with as many counts as words`,
        { file },
      );
    }
    SPECIAL_TOKENS.forEach((s, i) => {
      if (words[i] !== s) {
        throw new TavtError("BAD_FILE", `${file}: word ${i} must be "${s}", got ${JSON.stringify(words[i])}`, { file });
      }
    });
    if (new Set(words).size !== words.length) throw new TavtError("BAD_FILE", `${file}: repeated words`, { file });
    return new Vocabulary([...words], [...counts], typeof o.minCount === "number" ? o.minCount : 3);
  }

  /**
   * Save as JSON (atomically).
   *
   * @param path - The JSON file to write.
   */
  save(path: string): void {
    writeFileAtomic(path, `${JSON.stringify(this.toJSON())}\n`);
  }

  /**
   * Load a vocabulary saved by `save`.
   *
   * @param path - The JSON file.
   * @returns The vocabulary.
   * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for a malformed one.
   */
  static load(path: string): Vocabulary {
    let text: string;
    try {
      text = readTextFile(path);
    } catch {
      throw new TavtError("NOT_FOUND", `${path}: vocabulary file not found`, { file: path });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new TavtError("BAD_FILE", `${path}: not valid JSON (${(e as Error).message})`, { file: path });
    }
    return Vocabulary.fromJSON(json, path);
  }
}

/**
 * The vocabulary of a dataset's captions (all domains, all splits: the paper's joint vocabulary).
 *
 * @param videos - Videos with their captions.
 * @param options - `minCount`: words seen fewer times become `<unk>` (default 3).
 * @returns The vocabulary: the 4 special tokens, then the words.
 */
export function buildVocabulary(
  videos: Iterable<{ captions: readonly string[] }>,
  options: BuildVocabularyOptions = {},
): Vocabulary {
  return Vocabulary.build(
    (function* () {
      for (const v of videos) yield* v.captions;
    })(),
    options,
  );
}
