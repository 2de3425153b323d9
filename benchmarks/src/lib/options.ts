import { availableParallelism, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { PRESET_NAMES, type PresetName, usageError } from "@tavt/cli";
import { inputPath, outputPath, resolveSetPath } from "./paths";

/** Command-line options every paper benchmark takes. */
export interface BenchOptions {
  /** `--preset quick|default|paper`: the experiment preset the runs start from (default: `default`). */
  preset: PresetName;
  /** `--quick`: the smoke-test size (nx's `:quick` configuration): one seed and, above `quick`, the caps of `QUICK_CAPS`. */
  quick: boolean;
  /** Seeds (default 0,1,2; quick: 0). */
  seeds: number[];
  /** Extra `--set key=value` config overrides (applied last). */
  sets: string[];
  /** `--data msrvtt --annotations DIR --features PATH --audio-features PATH` for real features. */
  data?: string;
  annotations?: string;
  features?: string;
  audioFeatures?: string;
  /** Cross-dataset target: `--target-data msvd --target-annotations DIR --target-features PATH`. */
  targetData?: string;
  targetAnnotations?: string;
  targetFeatures?: string;
  /** `--k 8,16,24` (k-sweep): the values of K instead of the paper's. */
  ks?: number[];
  /** `--lrs 1e-3,3e-3` (lr-search): the grid of outer learning rates. */
  lrs?: number[];
  /** `--hold-out` (adaptation): choose on the source domains, each held out of meta-training in turn. */
  holdOut: boolean;
  /** `--learner FILE` (repeatable): a user's meta-learner module, run as an extra "TAVT (<name>)" row. */
  learners: string[];
  /** `--jobs <n>`: (seed, method) runs at once, each in a worker process with one BLAS thread (default: `defaultJobs()`). */
  jobs: number;
  /** Results directory (default ../results/<benchmark> from benchmarks/, i.e. results/<benchmark> at the root). */
  out?: string;
  quiet: boolean;
  help: boolean;
}

/**
 * How many runs go at once by default: one per core the process may use, at most one per 2 GiB of memory (a width-128
 * run peaks well under that), at least one.
 */
export function defaultJobs(cores = availableParallelism(), memory = totalmem()): number {
  return Math.max(1, Math.min(cores, Math.floor(memory / 2 ** 31)));
}

/** One documented option (for `--help`). */
interface OptionDoc {
  flag: string;
  text: string;
}

const COMMON_DOCS: OptionDoc[] = [
  {
    flag: "--preset <name>",
    text: "experiment preset: quick, default (the default) or paper (section 4.2's settings)",
  },
  { flag: "--quick", text: "smoke-test size (the :quick nx configuration): seed 0 only, and caps (see below)" },
  { flag: "--seeds <a,b,...>", text: "seeds to average over (default 0,1,2; with --quick: 0)" },
  { flag: "--set <key=value>", text: "override one config key, as `tavt --set` (repeatable; applied last)" },
  { flag: "--data <source>", text: "synthetic (default, embedded), msrvtt, msvd or dir" },
  { flag: "--annotations <dir>", text: "annotation directory of --data" },
  { flag: "--features <path>", text: "visual features of --data (.npy directory, .npz or HDF5)" },
  { flag: "--audio-features <path>", text: "audio features of --data" },
  {
    flag: "--jobs <n>",
    text: "runs (seed x method) at once, each in its own process with one BLAS thread; results do not depend on it (default: one per core, at most one per 2 GiB of memory)",
  },
  { flag: "--out <dir>", text: "results directory (default results/<benchmark> at the repository root)" },
  { flag: "--quiet", text: "no progress or notes on stderr" },
  { flag: "--help", text: "print this help and exit" },
];

/** Options only some benchmarks take. */
export const EXTRA_DOCS = {
  learner: {
    flag: "--learner <file>",
    text: "a meta-learner module of yours (exports a registerMetaLearner factory): adds a row TAVT (<file name>); repeatable",
  },
  targetData: { flag: "--target-data <source>", text: "the target dataset (e.g. msvd); default: an MSVD-like one" },
  targetAnnotations: { flag: "--target-annotations <dir>", text: "annotation directory of --target-data" },
  targetFeatures: { flag: "--target-features <path>", text: "visual features of --target-data" },
  k: { flag: "--k <a,b,...>", text: "values of K to sweep instead of the paper's 10,100,200,300" },
  lrs: {
    flag: "--lrs <a,b,...>",
    text: "the grid of outer learning rates (default 0.0003,0.001,0.003,0.01; --quick: 0.003,0.01)",
  },
  holdOut: {
    flag: "--hold-out",
    text: "hold each source domain out of meta-training in turn and adapt to it instead of the targets (no target looked at)",
  },
} as const;

export type ExtraOption = keyof typeof EXTRA_DOCS;

/**
 * What `--quick` caps when the preset is larger than `quick`, so that `:quick -- --preset paper` runs to the end on
 * 2 CPU cores: few steps, tiny batches (m = 2k kept), a narrow model (the paper's 8 heads and 8 blocks kept), few
 * videos. Everything else (Adam at 1e-4 in the inner loop and at meta-test, outer 1e-3, K = 100, line 9 on fresh
 * batches, beam 5) stays the preset's.
 */
export const QUICK_CAPS: Record<Exclude<PresetName, "quick">, string[]> = {
  default: [
    "data.synthetic.videos=400",
    "model.dim=32",
    "model.heads=2",
    "model.ffn=64",
    "train.steps=6",
    "train.batchSize=4",
    "adapt.steps=3",
    "eval.limit=16",
  ],
  paper: [
    "data.synthetic.videos=400",
    "model.dim=32",
    "model.ffn=64",
    "train.steps=2",
    "train.batchSize=2",
    "train.queryBatchSize=4",
    "train.checkpointEvery=0",
    "adapt.steps=3",
    "adapt.batchSize=8",
    "eval.limit=8",
  ],
};

/** The text of `--help`. */
export function usage(benchmark: string, description: string, extra: readonly ExtraOption[] = []): string {
  const docs = [...COMMON_DOCS.slice(0, -2), ...extra.map((e) => EXTRA_DOCS[e]), ...COMMON_DOCS.slice(-2)];
  const width = Math.max(...docs.map((d) => d.flag.length)) + 2;
  const caps = Object.entries(QUICK_CAPS)
    .map(([p, sets]) => `  --preset ${p}: ${sets.join(" ")}`)
    .join("\n");
  return `Usage: pnpm nx run benchmarks:${benchmark}[:quick] -- [options]

${description}

Options:
${docs.map((d) => `  ${d.flag.padEnd(width)}${d.text}`).join("\n")}

--quick caps (applied before --set):
${caps}
`;
}

/** Parse `process.argv` for a benchmark script. Bad options are user errors (exit 2). */
export function benchOptions(argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        preset: { type: "string" },
        quick: { type: "boolean", default: false },
        seeds: { type: "string" },
        set: { type: "string", multiple: true, default: [] },
        data: { type: "string" },
        annotations: { type: "string" },
        features: { type: "string" },
        "audio-features": { type: "string" },
        "target-data": { type: "string" },
        "target-annotations": { type: "string" },
        "target-features": { type: "string" },
        learner: { type: "string", multiple: true, default: [] },
        k: { type: "string" },
        lrs: { type: "string" },
        "hold-out": { type: "boolean", default: false },
        jobs: { type: "string" },
        out: { type: "string" },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (e) {
    throw usageError(`${(e as Error).message} (see --help)`);
  }
  const str = (k: string) => values[k] as string | undefined;
  const quick = Boolean(values.quick);
  const presetArg = str("preset");
  if (presetArg !== undefined && !(PRESET_NAMES as readonly string[]).includes(presetArg)) {
    throw usageError(`--preset ${presetArg}: expected one of ${PRESET_NAMES.join(", ")}`);
  }
  const preset = (presetArg ?? (quick ? "quick" : "default")) as PresetName;
  const seedsArg = str("seeds");
  const seeds = seedsArg
    ? seedsArg.split(",").map((s) => {
        const n = Number(s);
        if (s.trim() === "" || !Number.isSafeInteger(n)) throw usageError(`--seeds: "${s}" is not an integer`);
        return n;
      })
    : quick
      ? [0]
      : [0, 1, 2];
  const kArg = str("k");
  const ks = kArg?.split(",").map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1) throw usageError(`--k: "${x}" is not a positive integer`);
    return n;
  });
  const lrsArg = str("lrs");
  const lrs = lrsArg?.split(",").map((x) => {
    const n = Number(x);
    if (x.trim() === "" || !Number.isFinite(n) || n <= 0) throw usageError(`--lrs: "${x}" is not a positive number`);
    return n;
  });
  // nx runs the scripts in benchmarks/: every path is taken from where the user ran the command (see ./paths)
  const input = (k: string) => {
    const v = str(k);
    return v === undefined ? undefined : inputPath(v);
  };
  const jobsArg = str("jobs");
  const jobs = jobsArg === undefined ? defaultJobs() : Number(jobsArg);
  if (!Number.isInteger(jobs) || jobs < 1) throw usageError(`--jobs: "${jobsArg}" is not a positive integer`);
  const out = str("out");
  return {
    preset,
    quick,
    ks,
    lrs,
    seeds,
    sets: ((values.set as string[] | undefined) ?? []).map(resolveSetPath),
    data: str("data"),
    annotations: input("annotations"),
    features: input("features"),
    audioFeatures: input("audio-features"),
    targetData: str("target-data"),
    targetAnnotations: input("target-annotations"),
    targetFeatures: input("target-features"),
    holdOut: Boolean(values["hold-out"]),
    learners: (values.learner as string[] | undefined) ?? [],
    jobs,
    out: out === undefined ? undefined : outputPath(out),
    quiet: Boolean(values.quiet),
    help: Boolean(values.help),
  };
}

/** The config overrides the data options stand for. */
export function dataSets(o: BenchOptions): string[] {
  const sets: string[] = [];
  if (o.data) sets.push(`data.source=${o.data}`);
  if (o.annotations) sets.push(`data.annotations=${o.annotations}`);
  if (o.features) sets.push(`data.features.visual=${o.features}`);
  if (o.audioFeatures) sets.push(`data.features.audio=${o.audioFeatures}`);
  if (o.targetData) sets.push(`data.target.source=${o.targetData}`);
  if (o.targetAnnotations) sets.push(`data.target.annotations=${o.targetAnnotations}`);
  if (o.targetFeatures) sets.push(`data.target.features.visual=${o.targetFeatures}`);
  return sets;
}
