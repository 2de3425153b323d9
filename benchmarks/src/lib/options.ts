import { parseArgs } from "node:util";

/** Command-line options every paper benchmark takes. */
export interface BenchOptions {
  /** Smoke-test size (CI): one seed, few steps; under 3 minutes on 2 cores. */
  quick: boolean;
  /** Seeds (default 0,1,2; quick: 0). */
  seeds: number[];
  /** Extra `--set key=value` config overrides. */
  sets: string[];
  /** `--data msrvtt --annotations DIR --features PATH --audio-features PATH` for real features. */
  data?: string;
  annotations?: string;
  features?: string;
  audioFeatures?: string;
  /** Results directory (default ../results/<benchmark> from benchmarks/, i.e. results/<benchmark> at the root). */
  out?: string;
  quiet: boolean;
}

/** Parse `process.argv` for a benchmark script. */
export function benchOptions(argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      seeds: { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      data: { type: "string" },
      annotations: { type: "string" },
      features: { type: "string" },
      "audio-features": { type: "string" },
      out: { type: "string" },
      quiet: { type: "boolean", default: false },
    },
    strict: true,
  });
  const quick = Boolean(values.quick);
  const seeds = values.seeds
    ? values.seeds.split(",").map((s) => {
        const n = Number(s);
        if (!Number.isSafeInteger(n)) throw new Error(`--seeds: "${s}" is not an integer`);
        return n;
      })
    : quick
      ? [0]
      : [0, 1, 2];
  return {
    quick,
    seeds,
    sets: values.set ?? [],
    data: values.data,
    annotations: values.annotations,
    features: values.features,
    audioFeatures: values["audio-features"],
    out: values.out,
    quiet: Boolean(values.quiet),
  };
}

/** The config overrides the data options stand for. */
export function dataSets(o: BenchOptions): string[] {
  const sets: string[] = [];
  if (o.data) sets.push(`data.source=${o.data}`);
  if (o.annotations) sets.push(`data.annotations=${o.annotations}`);
  if (o.features) sets.push(`data.features.visual=${o.features}`);
  if (o.audioFeatures) sets.push(`data.features.audio=${o.audioFeatures}`);
  return sets;
}
