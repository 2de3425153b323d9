import { WordTable } from "../intern";
import { javaHash, javaTrim } from "../text";
import {
  type AlignerConfig,
  alignCollected,
  collectMatches,
  type MeteorModule,
  type PreparedSentence,
} from "./aligner";
import { boundApplies, scoreBound } from "./bound";
import { isPlainLine, normalizeEnglish } from "./normalizer";
import { ParaphraseTable } from "./paraphrase";
import { FUNCTION_WORDS_EN, packageDataDir } from "./resources";
import {
  addStats,
  computeMetrics,
  emptyStats,
  type MeteorParameters,
  type MeteorStats,
  statsOfAlignment,
} from "./stats";
import { stemEnglish } from "./stemmer";
import { SynonymIndex } from "./synonym-index";
import { SynonymDictionary } from "./synonyms";

/** Settings of a {@link MeteorScorer}: modules, weights, parameters, normalisation, WordNet and paraphrase files. */
export interface MeteorOptions {
  /**
   * Matcher modules in order. Default: exact, stem, synonym, plus paraphrase when `paraphraseTable` is given
   * (coco-caption runs Meteor's English default, exact stem synonym paraphrase, with Meteor's paraphrase-en.gz).
   */
  modules?: readonly MeteorModule[];
  /**
   * Module weights, one per module in `modules` order. Default: Meteor's English weights for each module
   * (exact 1.0, stem 0.6, synonym 0.8, paraphrase 0.6).
   */
  weights?: readonly number[];
  /** alpha, beta, gamma, delta. Default Meteor 1.5 English: 0.85, 0.2, 0.6, 0.75. */
  parameters?: Partial<MeteorParameters>;
  /** Path of a Meteor paraphrase table (e.g. paraphrase-en.gz from a Meteor 1.5 release); enables the module. */
  paraphraseTable?: string;
  /** Folder with english.synsets(.gz) and english.exceptions(.gz). Default: the copies shipped in the package. */
  wordnetDir?: string;
  /**
   * The WordNet files' contents instead of a folder (a browser has no files): english.synsets and
   * english.exceptions, gunzipped (the package's `data/*.gz`). Takes precedence over `wordnetDir`.
   */
  wordnet?: { synsets: Uint8Array | string; exceptions: string };
  /** Apply Meteor's `-norm` normalization (tokenize punctuation, then lowercase). Default true (coco-caption). */
  normalize?: boolean;
  /** Beam size of the aligner's search. Default 40. */
  beamSize?: number;
}

/** Meteor 1.5's default parameters for English: alpha 0.85, beta 0.2, gamma 0.6, delta 0.75. */
export const METEOR_DEFAULT_PARAMETERS: Readonly<MeteorParameters> = {
  alpha: 0.85,
  beta: 0.2,
  gamma: 0.6,
  delta: 0.75,
};
const NO_SYNSETS: readonly number[] = [];
const DEFAULT_WEIGHT: Record<MeteorModule, number> = { exact: 1.0, stem: 0.6, synonym: 0.8, paraphrase: 0.6 };

/** METEOR of a corpus: per item scores and the corpus score of the summed statistics. */
export interface MeteorResult {
  corpus: number;
  items: number[];
}

/**
 * A METEOR 1.5 scorer with its resources loaded once (WordNet ~0.2 s). `score` gives what coco-caption's
 * Meteor wrapper gives: each hypothesis against all its references (best reference by METEOR), per item scores,
 * and the corpus score from the summed sufficient statistics.
 */
export class MeteorScorer {
  readonly modules: readonly MeteorModule[];
  readonly weights: readonly number[];
  readonly parameters: Readonly<MeteorParameters>;
  private readonly normalize: boolean;
  /** Whether references can be skipped by an upper bound of their score (see scoreBound). */
  private readonly bounded: boolean;
  private readonly config: AlignerConfig;
  private readonly synonyms?: SynonymDictionary;
  /** Every word seen, interned; the arrays below hold what the modules need about word id w, computed once. */
  private readonly table = new WordTable();
  /** Word ids set up so far (ids 0 .. known - 1). */
  private known = 0;
  private keyOf = new Int32Array(1 << 14);
  private stemKeyOf = new Int32Array(1 << 14);
  private isFunctionOf = new Uint8Array(1 << 14);
  private readonly synsetsOf: (readonly number[])[] = [];
  private readonly paraIdOf: number[] = [];

  constructor(options: MeteorOptions = {}) {
    const modules =
      options.modules ??
      (options.paraphraseTable ? ["exact", "stem", "synonym", "paraphrase"] : ["exact", "stem", "synonym"]);
    if (modules.length === 0 || modules.length > 4) throw new RangeError("meteor: give 1 to 4 modules");
    for (const m of modules) if (!(m in DEFAULT_WEIGHT)) throw new RangeError(`meteor: unknown module "${m}"`);
    this.modules = [...modules];
    this.weights = options.weights ? [...options.weights] : modules.map((m) => DEFAULT_WEIGHT[m]);
    if (this.weights.length !== modules.length) throw new RangeError("meteor: give one weight per module");
    this.parameters = { ...METEOR_DEFAULT_PARAMETERS, ...options.parameters };
    this.normalize = options.normalize ?? true;
    this.bounded = boundApplies(this.parameters, this.weights);
    let paraphrase: ParaphraseTable | undefined;
    if (modules.includes("paraphrase")) {
      if (!options.paraphraseTable) throw new RangeError("meteor: the paraphrase module needs `paraphraseTable`");
      paraphrase = ParaphraseTable.load(options.paraphraseTable);
    }
    if (modules.includes("synonym")) {
      this.synonyms = options.wordnet
        ? new SynonymDictionary(options.wordnet.synsets, options.wordnet.exceptions)
        : SynonymDictionary.load(options.wordnetDir ?? packageDataDir());
    }
    this.config = {
      modules: this.modules,
      beamSize: options.beamSize ?? 40,
      paraphrase,
      synonyms: this.synonyms ? new SynonymIndex() : undefined,
    };
  }

  /** Id of the word `s.slice(start, end)`, with everything the modules need about it computed on first sight. */
  private wordId(s: string, start: number, end: number): number {
    const id = this.table.wordAt(s, start, end);
    if (id === this.known) this.setUp(id);
    return id;
  }

  /** What the modules need about the new word `id` (kept out of `wordId`, which runs for every token). */
  private setUp(id: number): void {
    if (id === this.keyOf.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(2 * a.length);
        b.set(a);
        return b;
      };
      this.keyOf = grow(this.keyOf);
      this.stemKeyOf = grow(this.stemKeyOf);
      this.isFunctionOf = grow(this.isFunctionOf);
    }
    const word = this.table.strings[id]!;
    this.keyOf[id] = javaHash(word);
    this.stemKeyOf[id] = this.modules.includes("stem") ? javaHash(stemEnglish(word)) : 0;
    this.isFunctionOf[id] = FUNCTION_WORDS_EN.has(word.toLowerCase()) ? 1 : 0;
    const synsets = this.synonyms ? this.synonyms.allSynsets(word) : NO_SYNSETS;
    this.synsetsOf.push(synsets);
    this.config.synonyms?.addWord(id, synsets);
    this.paraIdOf.push(this.config.paraphrase ? this.config.paraphrase.translate(word) : -1);
    this.known++;
  }

  /**
   * Normalize, lowercase and tokenize one line, and look up the keys every module needs.
   *
   * @param line - One caption.
   * @returns Its token ids and the keys the matching modules need.
   */
  prepare(line: string): PreparedSentence {
    // A plain line (letters, digits, spaces) normalizes to its own tokens: tokenize it directly.
    const s = this.normalize ? (isPlainLine(line) ? line : normalizeEnglish(line)).toLowerCase() : line;
    // Java StringTokenizer: tokens separated by runs of " \t\n\r\f", interned as they are found.
    const ids = this.idBuffer(s.length);
    let n = 0;
    let start = -1;
    for (let i = 0; i <= s.length; i++) {
      const c = i === s.length ? 0x20 : s.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c) {
        if (start >= 0) {
          ids[n++] = this.wordId(s, start, i);
          start = -1;
        }
      } else if (start < 0) start = i;
    }
    const words: string[] = [];
    const wordIds = new Int32Array(n);
    const keys = new Int32Array(n);
    const stemKeys = new Int32Array(n);
    const isFunction = new Uint8Array(n);
    const synsets: (readonly number[])[] = [];
    const paraIds: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      words.push(this.table.strings[id]!);
      wordIds[i] = id;
      keys[i] = this.keyOf[id]!;
      stemKeys[i] = this.stemKeyOf[id]!;
      isFunction[i] = this.isFunctionOf[id]!;
      synsets.push(this.synsetsOf[id]!);
      paraIds.push(this.paraIdOf[id]!);
    }
    return { words, wordIds, keys, stemKeys, isFunction, synsets, paraIds };
  }

  private ids = new Int32Array(1 << 12);

  private idBuffer(size: number): Int32Array {
    if (this.ids.length < size) this.ids = new Int32Array(2 * size);
    return this.ids;
  }

  /**
   * Sufficient statistics of a test line against its best reference (highest METEOR; first on ties).
   *
   * @param test - The candidate caption.
   * @param references - Its reference captions.
   * @returns The statistics against the best-scoring reference (empty statistics when there is none).
   */
  segmentStats(test: string, references: readonly string[]): MeteorStats {
    const t = this.prepare(test);
    if (this.bounded && references.length > 1) return this.boundedSegmentStats(t, references);
    let best: MeteorStats | undefined;
    let bestScore = -1;
    for (const ref of references) {
      const r = this.prepare(ref);
      const ms = collectMatches(t, r, this.config);
      // A reference that cannot beat the best so far (ties keep the first) needs no alignment search.
      if (bestScore > 0 && this.bounded && scoreBound(ms, t, r, this.parameters, this.weights) < bestScore) continue;
      const stats = statsOfAlignment(alignCollected(t, r, this.config, ms));
      const score = computeMetrics(stats, this.parameters, this.weights).score;
      if (score > bestScore) {
        best = stats;
        bestScore = score;
      }
    }
    return best ?? emptyStats(this.modules.length);
  }

  private bounds = new Float64Array(64);
  private order = new Int32Array(64);

  /**
   * `segmentStats` by bounds: every reference's score bound first, then alignments in order of decreasing bound
   * until the bound falls below the best score; the best is the highest score, the first reference on ties, as
   * when every reference is aligned in turn.
   */
  private boundedSegmentStats(t: PreparedSentence, references: readonly string[]): MeteorStats {
    const nRefs = references.length;
    if (this.bounds.length < nRefs) {
      this.bounds = new Float64Array(2 * nRefs);
      this.order = new Int32Array(2 * nRefs);
    }
    const bounds = this.bounds;
    const order = this.order;
    const prepared: PreparedSentence[] = [];
    for (let k = 0; k < nRefs; k++) {
      const r = this.prepare(references[k]!);
      prepared.push(r);
      bounds[k] = scoreBound(collectMatches(t, r, this.config), t, r, this.parameters, this.weights);
      // Insertion by decreasing bound, the first reference first on ties.
      let at = k;
      while (at > 0 && bounds[order[at - 1]!]! < bounds[k]!) {
        order[at] = order[at - 1]!;
        at--;
      }
      order[at] = k;
    }
    let best: MeteorStats | undefined;
    let bestScore = -1;
    let bestRef = -1;
    for (let q = 0; q < nRefs; q++) {
      const k = order[q]!;
      if (bounds[k]! < bestScore) break;
      const r = prepared[k]!;
      const stats = statsOfAlignment(alignCollected(t, r, this.config, collectMatches(t, r, this.config)));
      const score = computeMetrics(stats, this.parameters, this.weights).score;
      if (score > bestScore || (score === bestScore && k < bestRef)) {
        best = stats;
        bestScore = score;
        bestRef = k;
      }
    }
    return best ?? emptyStats(this.modules.length);
  }

  /**
   * METEOR of one set of statistics (segment or summed).
   *
   * @param stats - Statistics of one segment, or summed over a corpus.
   * @returns The METEOR score, in [0, 1].
   */
  scoreStats(stats: MeteorStats): number {
    return computeMetrics(stats, this.parameters, this.weights).score;
  }

  /**
   * Score a corpus as coco-caption does: its wrapper strips "|||" and collapses double spaces in each hypothesis,
   * sends "SCORE ||| ref1 ||| ... ||| hyp" (Meteor splits on "|||" and trims), then scores every segment and the
   * summed statistics. Newlines inside captions are treated as spaces.
   *
   * @param refs - The references of each item.
   * @param cands - One candidate per item, in the same order.
   * @returns `corpus` and `items`, as {@link meteor}.
   */
  score(refs: readonly (readonly string[])[], cands: readonly string[]): MeteorResult {
    const agg = emptyStats(this.modules.length);
    const items: number[] = [];
    for (let i = 0; i < cands.length; i++) {
      const hyp = cands[i]!.replaceAll("|||", "").replaceAll("  ", " ");
      const line = `SCORE ||| ${refs[i]!.join(" ||| ")} ||| ${hyp}`.replace(/\r\n|\r|\n/g, " ");
      const parts = line.split("|||");
      while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
      const test = javaTrim(parts[parts.length - 1]!);
      const references = parts.slice(1, -1).map(javaTrim);
      const stats = this.segmentStats(test, references);
      items.push(this.scoreStats(stats));
      addStats(agg, stats);
    }
    return { corpus: this.scoreStats(agg), items };
  }
}

let defaultScorer: MeteorScorer | undefined;

/** The default scorer (exact, stem, synonym; package WordNet), created on first use and kept. */
export function defaultMeteorScorer(): MeteorScorer {
  defaultScorer ??= new MeteorScorer();
  return defaultScorer;
}

/**
 * METEOR 1.5 of a corpus as coco-caption computes it (see MeteorScorer.score).
 *
 * @param refs - The references of each item.
 * @param cands - One candidate per item, in the same order.
 * @param options - Modules, weights, parameters, a paraphrase table; without options a shared default scorer
 *   (exact, stem, synonym) is used, so WordNet loads once.
 * @returns `corpus`: METEOR from the summed statistics; `items`: each item's score.
 */
export function meteor(
  refs: readonly (readonly string[])[],
  cands: readonly string[],
  options?: MeteorOptions,
): MeteorResult {
  const scorer = options && Object.keys(options).length > 0 ? new MeteorScorer(options) : defaultMeteorScorer();
  return scorer.score(refs, cands);
}
