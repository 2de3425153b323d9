import type { ExperimentConfig } from "./schema";

/** The preset names `--preset` accepts. */
export const PRESET_NAMES = ["quick", "default", "paper"] as const;
/** A preset's name: `quick`, `default` or `paper`. */
export type PresetName = (typeof PRESET_NAMES)[number];

const base: ExperimentConfig = {
  seed: 0,
  data: {
    source: "synthetic",
    annotations: null,
    features: { visual: null, audio: null, visualDim: null, audioDim: null, group: null },
    synthetic: {},
    target: {
      source: "none",
      annotations: null,
      features: { visual: null, visualDim: null, group: null },
      synthetic: {},
    },
    targetDomains: null,
    audioAbsentDomains: null,
    minCount: 3,
    maxLen: 16,
    frames: 20,
  },
  model: {
    kind: "tavt",
    base: "S",
    // Width 128: the widest that fits pnpm start's 20 minutes on 2 CPU cores with enough meta-steps for the
    // validation curve to flatten (see the README's learning curves); it trains stably with the warmup, decay,
    // clipping and W_ma scaling below (a test trains width 256 with the same recipe).
    dim: 128,
    heads: 4,
    encoderBlocks: 1,
    crossBlocks: 1,
    avmmBlocks: 1,
    decoderBlocks: 1,
    ffn: 512,
    dropout: 0.1,
    clips: 4,
    clipLen: 5,
    // W_ma (eq. 8) as written has the scale of the gate ratio alpha_av / alpha_va, which drifts in training (the
    // weighted L_cap grew from 7.2 to 18.4 in 30 steps at width 128 while the plain cross-entropy fell); scaled to
    // mean 1 per batch it keeps the per-word emphasis and the loss scale of the baselines, which the SGD inner loop
    // and adaptation steps are not invariant to.
    wmaNormalize: true,
    ablation: {},
  },
  // K = 100, the paper's choice (appendix D.1, Table 10), fixed before looking at any data: the synthetic world's
  // number of sound sources is never an input to the model's settings.
  space: { k: 100, unit: null, nInit: 1, path: null, source: "external", corpus: null },
  meta: {
    learner: "maml",
    innerLr: 0.01,
    innerOptimizer: "sgd",
    innerSteps: 1,
    // benchmarks:lr-search's choice for TAVT (MAML) at 200 steps (grid 3e-4 to 1e-2, held-out source videos)
    outerLr: 1e-3,
    // Linear warmup, then a cosine decay to a tenth over train.steps (without them width 128 drifted up in loss).
    warmup: 10,
    decay: "cosine",
    minLrRatio: 0.1,
    clipNorm: 5,
    reading: "maml",
  },
  // 2 of the 4 other source domains per meta-batch; 200 meta-steps: at 100 the validation NLL still fell about 3%
  // over the last 10 steps, at 200 0.3-2.4% (docs/results.md's curve summaries). Three seeds of the
  // cross-category benchmark fit pnpm start's 20 minutes on 2 CPU cores because the benchmark runs two (seed, method)
  // runs at once, one BLAS thread each (benchmarks --jobs).
  train: {
    steps: 200,
    batchSize: 8,
    queryBatchSize: null,
    supportDomains: 2,
    checkpointEvery: 20,
    validateEvery: 10,
    validationVideos: 8,
  },
  // Meta-test adaptation: 10 Adam steps at 1e-3, the best of the candidates that cost no more than 10 steps when
  // each source domain in turn was held out of meta-training and adapted to (benchmarks:adaptation-select; no
  // target looked at). Longer Adam adaptations scored higher there but take 3-10 times as long per domain.
  adapt: { steps: 10, lr: 1e-3, optimizer: "adam", batchSize: 16, fraction: 1 },
  eval: { beam: 3, greedy: false, batchSize: 32, split: "test", limit: null },
};

/**
 * - `quick`: a tiny model and few steps on a small synthetic set (smoke tests, CI: about a minute).
 * - `default`: the size the benchmarks use on the embedded synthetic data (minutes on 2 CPU cores).
 * - `paper`: the paper's settings (section 4.2): width 1024, 8 heads, 8 blocks, K = 100, batch 32 (query 64, m > k),
 *   Adam inner lr 1e-4 (inner loop and meta-test), outer lr 1e-3, Algorithm 1 line 9 on fresh batches, beam 5;
 *   needs real features and a fast backend.
 */
export const PRESETS: Readonly<Record<PresetName, ExperimentConfig>> = {
  quick: {
    ...base,
    data: { ...base.data, synthetic: { videos: 400 }, maxLen: 14 },
    model: { ...base.model, dim: 32, heads: 2, ffn: 64 },
    // a tiny model over a few steps: the smoke tests' rate, three times the default's
    meta: { ...base.meta, warmup: 2, outerLr: 3e-3 },
    train: { ...base.train, steps: 6, batchSize: 4, checkpointEvery: 3, validateEvery: 3, validationVideos: 4 },
    adapt: { steps: 3, lr: 0.01, optimizer: null, batchSize: 8, fraction: 1 },
    eval: { beam: 1, greedy: true, batchSize: 32, split: "test", limit: 16 },
  },
  default: base,
  paper: {
    ...base,
    data: { ...base.data, maxLen: 22 },
    model: { kind: "tavt", base: "paper", ablation: {} },
    // Section 4.2: "we adopt Adam with a fixed inner learning rate of 0.0001 and outer learning rate of 0.001".
    meta: {
      learner: "maml",
      innerLr: 1e-4,
      innerOptimizer: "adam",
      innerSteps: 1,
      outerLr: 1e-3,
      warmup: 0,
      decay: "none",
      minLrRatio: 0.1,
      clipNorm: null,
      reading: "paper",
    },
    // batch k = 32 per support domain; the query domain's m = 64 > k (section 3.1)
    train: {
      steps: 10000,
      batchSize: 32,
      queryBatchSize: 64,
      supportDomains: null,
      checkpointEvery: 500,
      validateEvery: 500,
      validationVideos: 64,
    },
    adapt: { steps: 100, lr: 1e-4, optimizer: "adam", batchSize: 32, fraction: 1 },
    eval: { beam: 5, greedy: false, batchSize: 32, split: "test", limit: null },
  },
};
