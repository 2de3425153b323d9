import { z } from "zod";

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const positive = z.number().positive();

/** Where the data comes from (`--data`). */
export const DATA_SOURCES = ["synthetic", "msrvtt", "msvd", "dir"] as const;

/** What the universal auditory space is fitted on (`space.source`). */
export const SPACE_SOURCES = ["external", "source-domains"] as const;

/** Captioners a config can train (`@tavt/model`): TAVT and the two plain transformer baselines. */
export const MODEL_KINDS = ["tavt", "vanillaTransformer", "concatAvTransformer"] as const;

const syntheticSchema = z.strictObject({
  /** Videos in total (shared among the 10 domains in Table 1 proportions). */
  videos: posInt.optional(),
  /** Seed of the generator; default the run's seed. */
  seed: z.number().int().optional(),
  frames: posInt.optional(),
  visualDim: posInt.optional(),
  audioDim: posInt.optional(),
  events: posInt.optional(),
  clips: posInt.optional(),
  captionsPerVideo: posInt.optional(),
  styleStrength: z.number().min(0).max(1).optional(),
  domainOffset: z.number().nonnegative().optional(),
  eventVisibility: z.number().nonnegative().optional(),
  visualNoise: z.number().nonnegative().optional(),
  audioNoise: z.number().nonnegative().optional(),
  eventSkew: z.number().min(0).max(1).optional(),
  /** Domains whose videos have no audio (the MSVD-like audio-absent target). */
  audioAbsentDomains: z.array(z.string()).optional(),
  trainFraction: z.number().gt(0).lt(1).optional(),
});

/** Where a cross-dataset target comes from (Table 2): none, the embedded MSVD-like set, MSVD, or a dataset directory. */
export const TARGET_SOURCES = ["none", "synthetic", "msvd", "dir"] as const;

const targetSchema = z.strictObject({
  /**
   * "none": meta-test on the dataset's own target domains. Otherwise meta-train on data.source's source domains and
   * adapt to and test on this dataset's domains (MSR-VTT -> MSVD): "synthetic" is the embedded MSVD-like set
   * (with data.source synthetic), "msvd" the MSVD loader, "dir" a dataset directory.
   */
  source: z.enum(TARGET_SOURCES),
  /** MSVD annotation directory, or a dataset directory for "dir". */
  annotations: z.string().nullable(),
  features: z.strictObject({
    /** The target's visual features (same layouts as data.features.visual). */
    visual: z.string().nullable(),
    visualDim: posInt.nullable(),
    group: z.string().nullable(),
  }),
  /** Knobs of the MSVD-like set (@tavt/datasets `MsvdLikeConfig`); its seed, dims and events follow data.synthetic. */
  synthetic: z.strictObject({
    videos: posInt.optional(),
    styleStrength: z.number().min(0).max(1).optional(),
    domainOffset: z.number().nonnegative().optional(),
    visualNoise: z.number().nonnegative().optional(),
    trainFraction: z.number().gt(0).lt(1).optional(),
  }),
});

export const dataSchema = z.strictObject({
  source: z.enum(DATA_SOURCES),
  /** MSR-VTT / MSVD annotation directory, or (source "dir") a dataset directory written by `tavt data synth`. */
  annotations: z.string().nullable(),
  features: z.strictObject({
    /** Visual features: a directory of `<id>.npy`, an `.npz` or an HDF5 file. */
    visual: z.string().nullable(),
    /** Audio features (same layouts); null for none. */
    audio: z.string().nullable(),
    visualDim: posInt.nullable(),
    audioDim: posInt.nullable(),
    /** HDF5 group of the per-video datasets. */
    group: z.string().nullable(),
  }),
  synthetic: syntheticSchema,
  /** A second dataset to transfer to (Table 2's cross-dataset setting). */
  target: targetSchema,
  /** Meta-test (target) domains; null: the dataset's own (Table 1's five for MSR-VTT and the synthetic data). */
  targetDomains: z.array(z.string()).nullable(),
  /** Domains to treat as audio-absent whatever the files hold (Table 2's uni-modal target); null: none. */
  audioAbsentDomains: z.array(z.string()).nullable(),
  /** Words seen fewer than this many times become `<unk>` (paper: 3). */
  minCount: posInt,
  /** Caption rows: `<bos>` + words + `<eos>` (longer captions are cut). */
  maxLen: z.number().int().min(3),
  /** Frames every batch is padded or cut to. */
  frames: posInt,
});

const ablationSchema = z.strictObject({
  noAvmm: z.boolean().optional(),
  noRec: z.boolean().optional(),
  noDccl: z.boolean().optional(),
  noDis: z.boolean().optional(),
  noDep: z.boolean().optional(),
  noWma: z.boolean().optional(),
  visualOnly: z.boolean().optional(),
  realAudio: z.boolean().optional(),
});

export const modelSchema = z.strictObject({
  kind: z.enum(MODEL_KINDS),
  /** The @tavt/model named configuration the sizes below override. */
  base: z.enum(["tiny", "S", "paper"]),
  dim: posInt.optional(),
  heads: posInt.optional(),
  encoderBlocks: posInt.optional(),
  crossBlocks: posInt.optional(),
  avmmBlocks: posInt.optional(),
  decoderBlocks: posInt.optional(),
  ffn: posInt.optional(),
  dropout: z.number().min(0).lt(1).optional(),
  /** l: clips per video (eq. 1). */
  clips: posInt.optional(),
  /** T: frames per clip (eq. 1). */
  clipLen: posInt.optional(),
  tau: positive.optional(),
  lambda: z.number().nonnegative().optional(),
  mu: z.number().nonnegative().optional(),
  fusion: z.enum(["gated", "sum"]).optional(),
  counterfactual: z.enum(["rank-inverse", "reverse", "complement"]).optional(),
  tieEmbedding: z.boolean().optional(),
  /** Scale W_ma (eq. 8) to mean 1 per batch (true), or use it as written (false). */
  wmaNormalize: z.boolean().optional(),
  ablation: ablationSchema,
});

export const spaceSchema = z.strictObject({
  /** K: prototypes of the universal auditory space (paper: 100). */
  k: posInt,
  /** Frames per audio unit; null: the model's clip length T. */
  unit: posInt.nullable(),
  nInit: posInt,
  /** Load the space from this `.safetensors` file instead of building it. */
  path: z.string().nullable(),
  /**
   * What M is fitted on (section 3.2 and appendix D.1). "external": audio from outside the training data, as the paper's Flickr
   * videos: `corpus`, or for the synthetic data its external audio corpus. "source-domains": the source domains'
   * training audio.
   */
  source: z.enum(SPACE_SOURCES),
  /** The external audio: a 2-D .npy of pooled units [N, D] or a feature store of sequences; null: synthetic's own. */
  corpus: z.string().nullable(),
});

export const metaSchema = z.strictObject({
  /** A registered @tavt/meta learner: maml, fomaml, reptile, anil, joint (or one the user registered). */
  learner: z.string().min(1),
  /** alpha: inner-loop step size (paper 1e-4). */
  innerLr: positive,
  /** The inner loop's update rule: sgd or adam (paper section 4.2: Adam). */
  innerOptimizer: z.enum(["sgd", "adam"]),
  innerSteps: posInt,
  /** beta: outer Adam step size (paper 1e-3). */
  outerLr: positive,
  /** Steps of linear warmup of the outer step size (0: none). */
  warmup: nonNegInt,
  /** Decay of the outer step size after warmup, over train.steps: none, cosine or linear. */
  decay: z.enum(["none", "cosine", "linear"]),
  /** Where the decay ends, as a share of outerLr. */
  minLrRatio: z.number().min(0).max(1),
  /** Clip the meta-gradient (the joint gradient for `joint`) to this global L2 norm; null: no clipping. */
  clipNorm: positive.nullable(),
  /**
   * How Algorithm 1 lines 3-9 are read (see @tavt/meta's README): "paper" evaluates each theta' on a fresh batch of
   * its domain (line 9), "paper-same-batch" on the batch it adapted on, "maml" on the query domain's batch.
   */
  reading: z.enum(["paper", "paper-same-batch", "maml"]),
});

export const trainSchema = z.strictObject({
  /** Meta-steps. */
  steps: nonNegInt,
  /** Videos per support batch (paper 32). */
  batchSize: posInt,
  /** Videos per query batch m; null: 2 x batchSize (section 3.1: the query domain has m > k samples). */
  queryBatchSize: posInt.nullable(),
  /** Support domains per meta-batch; null: K - 1 (every source domain but the query one, Algorithm 1). */
  supportDomains: posInt.nullable(),
  /** Write a checkpoint every this many steps (and at the end); 0: only at the end. */
  checkpointEvery: nonNegInt,
  /**
   * Measure the loss of theta on held-out source-domain videos (their test split, never sampled for training) every
   * this many steps and at the end, for the learning curves; 0: never.
   */
  validateEvery: nonNegInt,
  /** Held-out videos per source domain in that validation set. */
  validationVideos: posInt,
});

export const adaptSchema = z.strictObject({
  /** Gradient steps on the target's support set (meta-test, Algorithm 1 lines 13-16). */
  steps: nonNegInt,
  /** Step size; null: the learner's innerLr. */
  lr: positive.nullable(),
  /** The update rule: sgd or adam; null: meta.innerOptimizer. */
  optimizer: z.enum(["sgd", "adam"]).nullable(),
  batchSize: posInt,
  /** Share of the target's train videos used as its support set (Figure 5's low-resource sweep). */
  fraction: z.number().gt(0).max(1),
});

export const evalSchema = z.strictObject({
  /** Beam width (paper 5); 1 with greedy. */
  beam: posInt,
  greedy: z.boolean(),
  batchSize: posInt,
  /** Which part of each target domain is captioned and scored. */
  split: z.enum(["train", "test"]),
  /** Videos per domain to caption at most; null: all. */
  limit: posInt.nullable(),
});

/** How captions are scored (absent: coco-caption's defaults without the paraphrase table). */
export const metricsSchema = z.strictObject({
  meteor: z
    .strictObject({
      /**
       * A Meteor 1.5 paraphrase table (`paraphrase-en.gz` from Meteor's release, plain or gzipped): adds METEOR's
       * paraphrase module, as the COCO caption evaluation code runs it for published numbers; null: exact, stem and
       * synonym only.
       */
      paraphraseTable: z.string().min(1).nullable().optional(),
    })
    .optional(),
});

/** The whole experiment configuration: what a YAML file, a preset and `--set` overrides describe. */
export const experimentSchema = z.strictObject({
  seed: z.number().int(),
  data: dataSchema,
  model: modelSchema,
  space: spaceSchema,
  meta: metaSchema,
  train: trainSchema,
  adapt: adaptSchema,
  eval: evalSchema,
  metrics: metricsSchema.optional(),
});

/** A whole experiment config (seed, data, model, space, meta, train, adapt, eval, metrics), as validated by the schema. */
export type ExperimentConfig = z.infer<typeof experimentSchema>;
/** The `data` section of an experiment config. */
export type DataConfig = z.infer<typeof dataSchema>;
/** The `metrics` section of an experiment config (METEOR's paraphrase table). */
export type MetricsConfig = z.infer<typeof metricsSchema>;
/** The `model` section of an experiment config. */
export type ModelSection = z.infer<typeof modelSchema>;
