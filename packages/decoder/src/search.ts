import { assertRank, TavtError, tf } from "@tavt/core";
import type { DecoderMemory } from "./block";
import { BOS_ID, type DecoderConfig, EOS_ID, PAD_ID, resolveDecoderConfig } from "./config";
import { applyDecoder, type DecoderParams } from "./decoder";

/** Options shared by greedy and beam search. */
export interface SearchOptions {
  /** Beam width (beam search only); default 5, as in the paper. */
  beam?: number;
  /** Most words a caption may have (not counting `<eos>`); default `config.maxLen - 2` (room for `<bos>` and `<eos>`). */
  maxLen?: number;
  /** Fewest words before `<eos>` may be chosen; default 1. */
  minLen?: number;
  /** Length normalisation exponent alpha: a hypothesis ranks by logProb / length^alpha (length counts `<eos>`); default 1. */
  lengthPenalty?: number;
  /** Turns word ids into a caption; takes precedence over `vocab`. */
  decode?: (ids: readonly number[]) => string;
  /** id -> word table; the caption is the words joined by spaces. Without `decode` and `vocab`, the ids joined. */
  vocab?: readonly string[];
}

/** One decoded caption with its score and per-word modality gate traces (Figure 11). */
export interface DecodedCaption {
  /** Word ids, without `<bos>` and `<eos>`. */
  ids: number[];
  caption: string;
  /** Sum of the log-probabilities of the words and of the closing `<eos>`. */
  logProb: number;
  /** logProb / length^lengthPenalty (length = words + 1 for `<eos>`); greedy search reports it too. */
  score: number;
  /**
   * Per word: the mean over d of the last block's alpha_av (alpha_va) at the step that generated it, i.e. at the
   * decoder position of the previous token. Same length as `ids`.
   */
  alphaAv: number[];
  alphaVa: number[];
}

const MASKED = -1e9; // added to the log-probability of a token that may not be chosen at a step
const INVALID = -1e8; // hypotheses scoring below this are padding, never results

interface Setup {
  b: number;
  maxWords: number;
  minLen: number;
  alpha: number;
  vocab: number;
  caption: (ids: readonly number[]) => string;
}

function setup(memory: DecoderMemory, config: DecoderConfig, options: SearchOptions, fn: string): Setup {
  const c = resolveDecoderConfig(config);
  assertRank(fn, "xAv", memory.xAv, 3);
  const maxWords = options.maxLen ?? c.maxLen - 2;
  const minLen = options.minLen ?? 1;
  if (!(Number.isInteger(maxWords) && maxWords >= 1)) {
    throw new TavtError("BAD_CONFIG", `${fn}: maxLen must be a positive integer, got ${maxWords}`, { field: "maxLen" });
  }
  if (!(Number.isInteger(minLen) && minLen >= 0 && minLen <= maxWords)) {
    throw new TavtError("BAD_CONFIG", `${fn}: minLen must be an integer in [0, maxLen=${maxWords}], got ${minLen}`, {
      field: "minLen",
    });
  }
  const words = options.vocab;
  const caption =
    options.decode ??
    (words ? (ids: readonly number[]) => ids.map((i) => words[i] ?? "<unk>").join(" ") : (ids) => ids.join(" "));
  return { b: memory.xAv.shape[0]!, maxWords, minLen, alpha: options.lengthPenalty ?? 1, vocab: c.vocab, caption };
}

/** Per-step additive mask [V]: never `<pad>`/`<bos>`; no `<eos>` before minLen words; only `<eos>` at maxLen words. */
function stepMask(vocab: number, words: number, s: Setup): tf.Tensor1D {
  const m = new Float32Array(vocab);
  m[PAD_ID] = MASKED;
  m[BOS_ID] = MASKED;
  if (words < s.minLen) m[EOS_ID] = MASKED;
  if (words >= s.maxWords) {
    m.fill(MASKED);
    m[EOS_ID] = 0;
  }
  return tf.tensor1d(m);
}

/** Repeat every memory row `times` times along the batch: [B, S, m] -> [B * times, S, m] (row b*times + w = b). */
function repeatMemory(memory: DecoderMemory, times: number): DecoderMemory {
  if (times === 1) return memory;
  const b = memory.xAv.shape[0]!;
  const idx = tf.tensor1d(
    Int32Array.from({ length: b * times }, (_, i) => Math.floor(i / times)),
    "int32",
  );
  const rep = (t: tf.Tensor | null | undefined) => (t ? tf.gather(t, idx) : t); // [B * W, ...]
  const out = {
    xAv: rep(memory.xAv)!,
    xAvMask: rep(memory.xAvMask),
    xVa: rep(memory.xVa),
    xVaMask: rep(memory.xVaMask),
  };
  idx.dispose();
  return out;
}

function disposeMemory(m: DecoderMemory, original: DecoderMemory): void {
  for (const k of ["xAv", "xAvMask", "xVa", "xVaMask"] as const) {
    const t = m[k];
    if (t && t !== original[k]) t.dispose();
  }
}

/** Log-probabilities of the next token for rows of `seqs` ([N, len] ids), masked: [N, V]. */
function nextLogProbs(
  params: DecoderParams,
  memory: DecoderMemory,
  config: DecoderConfig,
  seqs: Int32Array,
  n: number,
  len: number,
  mask: tf.Tensor1D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const tokens = tf.tensor2d(seqs, [n, len], "int32");
    const { logits } = applyDecoder(params, { ...memory, tokens }, config, {}, { lastOnly: true }); // [N, 1, V]
    return tf.logSoftmax(logits.reshape([n, -1]), -1).add(mask) as tf.Tensor2D; // [N, V]
  });
}

/**
 * Teacher-forced gate traces of given captions: for each caption (word ids, no `<bos>`/`<eos>`) the mean over d
 * of the last block's alpha_av and alpha_va at the step that generated each word. memory rows match `captions`.
 *
 * @param params - The decoder's parameters.
 * @param memory - The encoder's outputs, one row per caption.
 * @param config - The decoder's sizes.
 * @param captions - Word ids of each caption (no `<bos>` or `<eos>`).
 * @returns Per caption, per word: the mean over d of alpha_av and of alpha_va.
 */
export function gateTraces(
  params: DecoderParams,
  memory: DecoderMemory,
  config: DecoderConfig,
  captions: readonly (readonly number[])[],
): { alphaAv: number[][]; alphaVa: number[][] } {
  const b = captions.length;
  const longest = Math.max(1, ...captions.map((c) => c.length));
  const ids = new Int32Array(b * longest); // <bos> w1 .. w(n-1), then <pad>
  const mask = new Float32Array(b * longest);
  captions.forEach((cap, i) => {
    ids[i * longest] = BOS_ID;
    mask[i * longest] = 1;
    for (let j = 1; j < cap.length; j++) {
      ids[i * longest + j] = cap[j - 1]!;
      mask[i * longest + j] = 1;
    }
  });
  const [av, va] = tf.tidy(() => {
    const tokens = tf.tensor2d(ids, [b, longest], "int32");
    const tokenMask = tf.tensor2d(mask, [b, longest]);
    const out = applyDecoder(params, { ...memory, tokens, tokenMask }, config);
    return [out.alphaAv.mean(-1), out.alphaVa.mean(-1)]; // [B, L] each
  });
  const avData = av!.dataSync();
  const vaData = va!.dataSync();
  av!.dispose();
  va!.dispose();
  const rows = (d: ArrayLike<number>) => captions.map((cap, i) => Array.from(cap, (_, j) => d[i * longest + j]!));
  return { alphaAv: rows(avData), alphaVa: rows(vaData) };
}

interface Hyp {
  ids: number[];
  logProb: number;
  score: number;
}

function finish(
  params: DecoderParams,
  memory: DecoderMemory,
  config: DecoderConfig,
  best: Hyp[],
  s: Setup,
): DecodedCaption[] {
  const traces = gateTraces(
    params,
    memory,
    config,
    best.map((h) => h.ids),
  );
  return best.map((h, i) => ({
    ids: h.ids,
    caption: s.caption(h.ids),
    logProb: h.logProb,
    score: h.score,
    alphaAv: traces.alphaAv[i]!,
    alphaVa: traces.alphaVa[i]!,
  }));
}

/** NaN log-probabilities come only from diverged parameters: say so, instead of decoding nonsense or failing later. */
function assertFinite(where: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) {
      throw new TavtError(
        "BAD_CONFIG",
        `${where}: the decoder's log-probabilities are NaN: the parameters diverged in training or adaptation (lower the learning rate, or clip gradients)`,
        { field: "lr" },
      );
    }
  }
}

/**
 * Greedy decoding, batched over videos: at each step the most probable token, until `<eos>` or maxLen words.
 *
 * @param params - The decoder's parameters.
 * @param memory - The encoder's outputs for the batch.
 * @param config - The decoder's sizes.
 * @param options - `maxLen`, `minLen`, `lengthPenalty`, and `vocab` or `decode` to turn ids into words (`beam` is
 *   ignored).
 * @returns The caption of each video: ids, words, log-probability, score, and per-word alpha traces.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a bad `maxLen` or `minLen`, or when the log-probabilities
 *   are NaN (diverged parameters).
 */
export function greedySearch(
  params: DecoderParams,
  memory: DecoderMemory,
  config: DecoderConfig,
  options: SearchOptions = {},
): DecodedCaption[] {
  const s = setup(memory, config, options, "decoder.greedySearch");
  const { b, maxWords } = s;
  let seqs = new Int32Array(b).fill(BOS_ID); // [B, len] row-major, len grows by one per step
  const hyps: Hyp[] = Array.from({ length: b }, () => ({ ids: [], logProb: 0, score: 0 }));
  const done = new Array<boolean>(b).fill(false);
  for (let t = 0; t <= maxWords && done.includes(false); t++) {
    const len = t + 1;
    const [tok, val] = tf.tidy(() => {
      const mask = stepMask(s.vocab, t, s);
      const logp = nextLogProbs(params, memory, config, seqs, b, len, mask); // [B, V]
      return [logp.argMax(-1), logp.max(-1)]; // [B] each
    });
    const toks = tok!.dataSync();
    const vals = val!.dataSync();
    tok!.dispose();
    val!.dispose();
    assertFinite("decoder.greedySearch", vals);
    const next = new Int32Array(b * (len + 1));
    for (let i = 0; i < b; i++) {
      next.set(seqs.subarray(i * len, (i + 1) * len), i * (len + 1));
      const id = done[i] ? PAD_ID : toks[i]!;
      next[i * (len + 1) + len] = id;
      if (done[i]) continue;
      hyps[i]!.logProb += vals[i]!;
      if (id === EOS_ID) done[i] = true;
      else hyps[i]!.ids.push(id);
    }
    seqs = next;
  }
  for (const h of hyps) h.score = h.logProb / (h.ids.length + 1) ** s.alpha;
  return finish(params, memory, config, hyps, s);
}

/**
 * Beam search (width 5 by default), batched over videos: every video keeps `beam` live hypotheses; a hypothesis
 * that emits `<eos>` among the top `beam` candidates is finished and ranked by logProb / length^lengthPenalty.
 * A video stops when it has `beam` finished hypotheses and none of its live ones can rank above the worst of them
 * at the current length; at maxLen words only `<eos>` may follow. Returns the best finished hypothesis per video.
 *
 * @param params - The decoder's parameters.
 * @param memory - The encoder's outputs for the batch.
 * @param config - The decoder's sizes.
 * @param options - `beam` (default 5), `maxLen`, `minLen`, `lengthPenalty`, and `vocab` or `decode` to turn ids into words.
 * @returns The best caption of each video: ids, words, log-probability, score, and per-word alpha traces.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a bad beam width or length.
 */
export function beamSearch(
  params: DecoderParams,
  memory: DecoderMemory,
  config: DecoderConfig,
  options: SearchOptions = {},
): DecodedCaption[] {
  const s = setup(memory, config, options, "decoder.beamSearch");
  const w = options.beam ?? 5;
  if (!(Number.isInteger(w) && w >= 1)) {
    throw new TavtError("BAD_CONFIG", `decoder.beamSearch: beam must be a positive integer, got ${w}`, {
      field: "beam",
    });
  }
  const { b, maxWords, alpha, vocab } = s;
  const n = b * w;
  const mem = repeatMemory(memory, w); // [B * W, S, m]
  try {
    let seqs = new Int32Array(n).fill(BOS_ID); // [N, len] row-major
    let scores = new Float64Array(n).fill(MASKED); // summed log-probabilities of the live hypotheses
    for (let i = 0; i < b; i++) scores[i * w] = 0; // one live hypothesis per video at the start
    const finished: Hyp[][] = Array.from({ length: b }, () => []);
    const done = new Array<boolean>(b).fill(false);
    for (let t = 0; t <= maxWords && done.includes(false); t++) {
      const len = t + 1;
      const k = Math.min(2 * w, w * vocab);
      const [vals, idxs] = (() => {
        const top = tf.tidy(() => {
          const mask = stepMask(vocab, t, s);
          const logp = nextLogProbs(params, mem, config, seqs, n, len, mask); // [N, V]
          const total = logp.add(tf.tensor2d(Float32Array.from(scores), [n, 1])).reshape([b, w * vocab]); // [B, W*V]
          const { values, indices } = tf.topk(total, k); // [B, 2W] each
          return [values, indices];
        });
        const v = top[0]!.dataSync();
        const ix = top[1]!.dataSync();
        top[0]!.dispose();
        top[1]!.dispose();
        assertFinite("decoder.beamSearch", v);
        return [v, ix];
      })();
      const next = new Int32Array(n * (len + 1)).fill(PAD_ID);
      const nextScores = new Float64Array(n).fill(MASKED);
      for (let i = 0; i < b; i++) {
        if (done[i]) continue;
        let alive = 0;
        for (let j = 0; j < k && alive < w; j++) {
          const val = vals[i * k + j]!;
          if (val < INVALID) break;
          const flat = idxs[i * k + j]!;
          const from = i * w + Math.floor(flat / vocab);
          const tok = flat % vocab;
          const prefix = seqs.subarray(from * len, (from + 1) * len); // <bos> w1 .. wt
          if (tok === EOS_ID) {
            if (j < w)
              finished[i]!.push({ ids: Array.from(prefix.subarray(1)), logProb: val, score: val / len ** alpha });
            continue;
          }
          const row = i * w + alive;
          next.set(prefix, row * (len + 1));
          next[row * (len + 1) + len] = tok;
          nextScores[row] = val;
          alive++;
        }
        const fin = finished[i]!;
        if (alive === 0) done[i] = true;
        else if (fin.length >= w) {
          const worst = Math.min(...fin.map((h) => h.score));
          const bestAlive = Math.max(...Array.from(nextScores.subarray(i * w, i * w + alive)));
          if (worst >= bestAlive / (len + 1) ** alpha) done[i] = true;
        }
      }
      seqs = next;
      scores = nextScores;
    }
    const best = finished.map((fin) => fin.reduce((a, h) => (h.score > a.score ? h : a)));
    return finish(params, memory, config, best, s);
  } finally {
    disposeMemory(mem, memory);
  }
}
