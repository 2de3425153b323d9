import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type BuiltAuditorySpace,
  buildAuditorySpaceFromFile,
  buildAuditorySpaceFromPoints,
  cutUnits,
  type FeatureSequence,
  type KMeansProgress,
  type PointSet,
  readNpy,
  saveAuditorySpace,
} from "@tavt/clusters";
import { TavtError, writeFileAtomic } from "@tavt/core";
import {
  type CaptionDataset,
  DATASET_ANNOTATIONS,
  type FeatureStore,
  loadDataset,
  makeSynthetic,
  makeSyntheticAudioCorpus,
  openFeatureStore,
} from "@tavt/datasets";
import { Command, Option } from "commander";
import { usageError } from "../errors";
import type { Output } from "../output";
import { loadExperimentData } from "../pipeline/data";
import { type DomainUsage, type PrototypeUsage, prototypeUsage } from "../pipeline/prototypeUsage";
import { loadSpace, spaceFor } from "../pipeline/space";
import { createProgress } from "../progress";
import { prototypeUsageSvg } from "../report/charts";
import { alignedTable, markdownTable } from "../report/tables";
import {
  type CommonOptions,
  type ConfigOptions,
  configOf,
  ensureBackend,
  example,
  outputOf,
  parseInt10,
  withCommon,
  withConfig,
} from "./common";

interface BuildOptions extends CommonOptions {
  features?: string;
  k: string;
  unit?: string;
  nInit?: string;
  seed?: string;
  miniBatch?: string;
  chunkMb?: string;
  from?: string;
  out: string;
}

/** What `--json` prints: exactly these keys. */
export interface ClustersBuildResult {
  k: number;
  n: number;
  dim: number;
  inertia: number;
  iterations: number;
  /** Seconds of k-means fitting (for a streamed .npy: reading it in chunks included; not start-up). */
  seconds: number;
  /** Peak resident memory of the process in bytes (getrusage's maxrss), reading and fitting included. */
  peakRssBytes: number;
}

/** Above this size a 2-D .npy is not read whole: full-batch Lloyd would hold every point, so ask for --mini-batch. */
const IN_MEMORY_LIMIT = 1024 ** 3;

/** Default bytes of points `--mini-batch` holds at once when it streams a .npy. */
const DEFAULT_CHUNK_MB = 64;

/** Units to cluster, where they came from, and T (1 for points already pooled). */
interface Prepared {
  points: PointSet;
  unit: number;
  source: string;
  /** For a note: what was read. */
  describe: string;
}

/** Default T for sequences: config S's clip length (l = 4 clips of T = 5 frames). */
const DEFAULT_UNIT = 5;

function positive(name: string, v: string | undefined): number | undefined {
  const n = parseInt10(name, v);
  if (n !== undefined && n < 1) throw usageError(`${name} ${v}: expected a positive integer`, { field: name });
  return n;
}

/** Whether a file starts with the `.npy` magic (\x93NUMPY), whatever its name. */
function hasNpyMagic(path: string): boolean {
  const head = new Uint8Array(6);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, 6, 0);
  } finally {
    closeSync(fd);
  }
  return head[0] === 0x93 && String.fromCharCode(...head.subarray(1)) === "NUMPY";
}

/** The first non-finite value of a row-major [rows, dim] array, or null. */
function firstNonFinite(data: Float32Array, dim: number): { row: number; column: number; value: string } | null {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / dim);
      return { row, column: i - row * dim, value: Number.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity" };
    }
  }
  return null;
}

/** A 2-D .npy [N, D]: N points, taken as already pooled units. */
function fromNpy(path: string, unit: number | undefined): Prepared {
  if (unit !== undefined && unit !== 1) {
    throw usageError(
      `--unit ${unit}: ${path} is a 2-D .npy of points (already pooled); --unit applies to feature stores of audio sequences`,
      { field: "--unit" },
    );
  }
  const size = statSync(path).size;
  if (size > IN_MEMORY_LIMIT) {
    throw usageError(
      `--features ${path}: ${(size / 1024 ** 3).toFixed(2)} GiB is too large to hold for full-batch k-means; give --mini-batch 1024 to read it in chunks`,
      { field: "--mini-batch" },
    );
  }
  const points = readNpy(path);
  const bad = firstNonFinite(points.data, points.dim);
  if (bad) {
    throw new TavtError(
      "BAD_INPUT",
      `${path}: ${bad.value} at row ${bad.row}, column ${bad.column}; k-means needs finite values`,
      { file: path, row: bad.row, column: bad.column },
    );
  }
  return {
    points,
    unit: 1,
    source: path,
    describe: `${points.n} points of dim ${points.dim} from ${path}`,
  };
}

/** Audio sequences cut into units of T frames and mean-pooled (eq. 1), with the finite and dim checks. */
function unitsOf(
  sequences: { id: string; seq: FeatureSequence }[],
  unit: number,
  where: string,
  source: string,
): Prepared {
  if (sequences.length === 0) throw new TavtError("BAD_INPUT", `${where}: no audio features to cluster`);
  const first = sequences[0]!;
  for (const { id, seq } of sequences) {
    if (seq.dim !== first.seq.dim) {
      throw new TavtError(
        "SHAPE_MISMATCH",
        `${where}: video "${id}" has audio features of dim ${seq.dim}, but video "${first.id}" has ${first.seq.dim} (mismatched dims)`,
        { file: where, id, expected: first.seq.dim, got: seq.dim },
      );
    }
    const bad = firstNonFinite(seq.data, seq.dim);
    if (bad) {
      throw new TavtError(
        "BAD_INPUT",
        `${where}: video "${id}" has ${bad.value} at frame ${bad.row}, column ${bad.column}; k-means needs finite values`,
        { file: where, id, frame: bad.row, column: bad.column },
      );
    }
  }
  const units = cutUnits(
    sequences.map((s) => s.seq),
    unit,
  );
  return {
    points: { data: units.data, n: units.n, dim: units.dim },
    unit,
    source,
    describe: `${units.n} units of T=${unit} frames (dim ${units.dim}) from ${sequences.length} videos of ${source}`,
  };
}

/** A bare feature store (directory of .npy, .npz, HDF5): every video's sequence. */
async function fromStore(path: string, unit: number): Promise<Prepared> {
  const store: FeatureStore = await openFeatureStore(path);
  try {
    const sequences = store.ids().map((id) => {
      const [frames, dim] = store.shape(id);
      return { id, seq: { data: store.read(id), frames, dim } };
    });
    return unitsOf(sequences, unit, path, path);
  } finally {
    store.close();
  }
}

/** A dataset's source-domain training audio (as `tavt train` builds its space from). */
function fromDataset(ds: CaptionDataset, unit: number, where: string): Prepared {
  const ids = ds
    .ids({ domains: ds.sourceDomains, split: "train" })
    .filter((id) => ds.audio !== null && !ds.audioAbsentDomains.has(ds.video(id).domain));
  if (ids.length === 0) {
    throw new TavtError("BAD_INPUT", `${where}: no source-domain training video has audio to cluster`, {
      field: "--features",
    });
  }
  const sequences = ids.map((id) => {
    const s = ds.sample(id);
    return { id, seq: { data: s.audio!, frames: s.audioShape![0], dim: s.audioShape![1] } };
  });
  return unitsOf(sequences, unit, where, `${ds.name} source-domain train audio`);
}

/** The embedded synthetic benchmark's external audio corpus (the stand-in for the paper's Flickr audio). */
function fromSyntheticCorpus(unit: number): Prepared {
  const corpus = makeSyntheticAudioCorpus({ seed: 0 });
  const sequences = corpus.store.ids().map((id) => {
    const [frames, dim] = corpus.store.shape(id);
    return { id, seq: { data: corpus.store.read(id), frames, dim } };
  });
  return unitsOf(sequences, unit, "synthetic", `synthetic external audio corpus (${sequences.length} clips)`);
}

/** What `--features` names (or the embedded synthetic benchmark without it), read and checked. */
async function prepare(features: string | undefined, unit: number | undefined, from: string): Promise<Prepared> {
  if (features === undefined) {
    return from === "source-domains"
      ? fromDataset(makeSynthetic({ seed: 0 }), unit ?? DEFAULT_UNIT, "synthetic")
      : fromSyntheticCorpus(unit ?? DEFAULT_UNIT);
  }
  if (!existsSync(features)) {
    throw new TavtError("NOT_FOUND", `${features}: features file or directory not found`, { file: features });
  }
  if (statSync(features).isDirectory()) {
    if (existsSync(join(features, DATASET_ANNOTATIONS))) {
      return fromDataset(await loadDataset(features), unit ?? DEFAULT_UNIT, features);
    }
    return fromStore(features, unit ?? DEFAULT_UNIT);
  }
  if (features.toLowerCase().endsWith(".npy") || hasNpyMagic(features)) return fromNpy(features, unit);
  return fromStore(features, unit ?? DEFAULT_UNIT);
}

/** A file (not a directory) named .npy or starting with the .npy magic. */
function isNpyFile(path: string): boolean {
  return (
    existsSync(path) && !statSync(path).isDirectory() && (path.toLowerCase().endsWith(".npy") || hasNpyMagic(path))
  );
}

/** Peak resident memory of this process in bytes. */
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

/** `--mini-batch` on a 2-D .npy: mini-batch k-means reading the file in chunks of `chunkMb` MiB (section 3.2 and appendix D.1 at scale). */
async function streamNpy(
  o: BuildOptions,
  s: { k: number; unit: number | undefined; seed: number; miniBatch: number; chunkMb: number },
): Promise<void> {
  const out = outputOf(o);
  const path = o.features!;
  if (s.unit !== undefined && s.unit !== 1) {
    throw usageError(
      `--unit ${s.unit}: ${path} is a 2-D .npy of points (already pooled); --unit applies to feature stores of audio sequences`,
      { field: "--unit" },
    );
  }
  if (o.nInit !== undefined && o.nInit !== "1") {
    throw usageError(`--n-init ${o.nInit}: restarts are not available when a .npy is read in chunks (--mini-batch)`, {
      field: "--n-init",
    });
  }
  out.note(`clustering ${path} in chunks of ${s.chunkMb} MiB into K=${s.k} (mini-batch ${s.miniBatch})`);
  const space = buildAuditorySpaceFromFile(path, {
    k: s.k,
    seed: s.seed,
    miniBatch: s.miniBatch,
    chunkBytes: s.chunkMb * 1024 * 1024,
    source: path,
  });
  await ensureBackend();
  saveAuditorySpace(o.out, space);
  const result: ClustersBuildResult = {
    k: space.k,
    n: space.n,
    dim: space.dim,
    inertia: space.inertia,
    iterations: space.iterations,
    seconds: Number(space.seconds.toFixed(3)),
    peakRssBytes: peakRss(),
  };
  out.result(
    result,
    () =>
      `auditory space: K=${space.k} prototypes of dim ${space.dim} from ${space.n} points of ${path}, read in chunks of ${space.chunkRows} rows (${space.epochs} pass${space.epochs === 1 ? "" : "es"} and a last one for the inertia); inertia ${space.inertia.toPrecision(7)} after ${space.iterations} mini-batch steps${space.converged ? "" : " (not converged)"} in ${result.seconds} s, peak RSS ${mib(result.peakRssBytes)} MiB; wrote ${o.out}`,
  );
}

/** `--out` must name a file in an existing directory (checked before anything is read or fitted). */
function checkOut(out: string): void {
  if (existsSync(out) && statSync(out).isDirectory()) {
    throw usageError(`--out ${out}: is a directory; expected a .safetensors file path`, { field: "--out" });
  }
  const dir = dirname(out);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw usageError(`--out ${out}: directory ${dir} does not exist`, { field: "--out" });
  }
}

/** Most Lloyd iterations per k-means run (the @tavt/clusters default, passed explicitly so the bar's length fits). */
const MAX_ITER = 300;

/**
 * Progress of k-means with restarts: each run is k-means++ (K steps) then at most MAX_ITER Lloyd iterations (or the
 * mini-batch steps it reports); a run that converges early jumps to its end, so the time left is an upper bound.
 */
function kmeansProgress(out: Output, k: number, runs: number) {
  const span = k + MAX_ITER;
  const progress = createProgress(out, { label: "k-means", total: runs * span });
  const onProgress = (p: KMeansProgress): void => {
    const at = p.run * span;
    if (p.phase === "init") progress.update(at + p.step, { run: p.run + 1 });
    else if (p.phase === "iteration") {
      progress.update(at + k + Math.min(p.iteration, MAX_ITER), { run: p.run + 1, changed: p.changed });
    } else if (p.phase === "mini-batch") {
      progress.update(at + k + Math.floor((MAX_ITER * p.step) / Math.max(1, p.of)), {
        run: p.run + 1,
        batchInertia: p.batchInertia,
      });
    } else {
      progress.update(at + span);
      progress.log(
        `k-means run ${p.run + 1}/${p.runs}: inertia ${p.inertia.toPrecision(7)} after ${p.iterations} iterations`,
      );
    }
  };
  return { onProgress, stop: () => progress.stop() };
}

export function clustersCommand(): Command {
  const clusters = new Command("clusters").description(
    "the universal auditory semantic space (section 3.2 and appendix D.1): k-means prototypes of audio units",
  );
  const build = withCommon(
    new Command("build")
      .description(
        "cluster audio features into K prototypes and save the space (safetensors): a 2-D .npy [N, D] is N points; a feature store (.npy directory, .npz, HDF5) or dataset directory is cut into units of T frames and mean-pooled; without --features, the embedded synthetic benchmark's external audio corpus (--from source-domains: its source domains' train audio)",
      )
      .option(
        "--features <path>",
        "a 2-D .npy [N, D], a feature store (.npy directory, .npz, HDF5) or dataset directory",
      )
      .addOption(
        new Option(
          "--from <audio>",
          "without --features: the synthetic benchmark's external audio corpus (default) or its source domains' train audio",
        ).choices(["external", "source-domains"]),
      )
      .requiredOption("--k <n>", "K: prototypes (the paper's best is 100, Table 10)")
      .option("--unit <T>", `frames per unit for feature stores (default ${DEFAULT_UNIT})`)
      .option("--n-init <n>", "k-means restarts, the lowest inertia kept (default 1)")
      .option("--seed <n>", "seed of k-means++ (default 0)")
      .option(
        "--mini-batch <size>",
        "mini-batch k-means with this batch size (for very many units); a 2-D .npy is then read in chunks, never whole",
      )
      .option("--chunk-mb <n>", `with --mini-batch on a .npy: MiB of points held at once (default ${DEFAULT_CHUNK_MB})`)
      .requiredOption("-o, --out <file>", "output .safetensors file"),
  ).action(async (o: BuildOptions) => {
    const out = outputOf(o);
    const k = positive("--k", o.k)!;
    const unit = positive("--unit", o.unit);
    const nInit = positive("--n-init", o.nInit);
    const seed = parseInt10("--seed", o.seed) ?? 0;
    const miniBatch = positive("--mini-batch", o.miniBatch);
    const chunkMb = positive("--chunk-mb", o.chunkMb);
    const from = o.from ?? "external";
    if (o.from !== undefined && o.features !== undefined) {
      throw usageError("--from: chooses the embedded synthetic benchmark's audio; it does not apply with --features", {
        field: "--from",
      });
    }
    checkOut(o.out);
    if (o.features !== undefined && miniBatch !== undefined && isNpyFile(o.features)) {
      await streamNpy(o, { k, unit, seed, miniBatch, chunkMb: chunkMb ?? DEFAULT_CHUNK_MB });
      return;
    }
    if (chunkMb !== undefined) {
      throw usageError("--chunk-mb: applies to a 2-D .npy read in chunks with --mini-batch", { field: "--chunk-mb" });
    }
    const p = await prepare(o.features, unit, from);
    if (k > p.points.n) {
      throw new TavtError(
        "BAD_INPUT",
        `--k ${k} is larger than the number of points (${p.points.n}) in ${p.source}; k-means needs at least K points`,
        { field: "--k", k, n: p.points.n },
      );
    }
    out.note(`clustering ${p.describe} into K=${k}`);
    const progress = kmeansProgress(out, k, nInit ?? 1);
    let space: BuiltAuditorySpace;
    try {
      space = buildAuditorySpaceFromPoints(p.points, {
        k,
        unit: p.unit,
        nInit,
        seed,
        miniBatch,
        maxIter: MAX_ITER,
        source: p.source,
        onProgress: progress.onProgress,
      });
    } finally {
      progress.stop();
    }
    await ensureBackend();
    saveAuditorySpace(o.out, space);
    const result: ClustersBuildResult = {
      k: space.k,
      n: space.n,
      dim: space.dim,
      inertia: space.inertia,
      iterations: space.iterations,
      seconds: Number(space.seconds.toFixed(3)),
      peakRssBytes: peakRss(),
    };
    out.result(
      result,
      () =>
        `auditory space: K=${space.k} prototypes of dim ${space.dim} (T=${space.unit}) from ${space.n} units of ${space.source}; inertia ${space.inertia.toPrecision(7)} after ${space.iterations} iterations${space.converged ? "" : " (not converged)"} in ${result.seconds} s, peak RSS ${mib(result.peakRssBytes)} MiB; wrote ${o.out}`,
    );
  });
  example(
    build,
    "pnpm tavt clusters build --k 100 --out space.safetensors --json",
    "pnpm tavt clusters build --features audio.npy --k 100 --n-init 3 --seed 1 --out space.safetensors",
    "pnpm tavt clusters build --features flickr-vggish.npy --k 100 --mini-batch 1024 --out space.safetensors",
  );
  clusters.addCommand(build);
  clusters.addCommand(usageCommand());
  return clusters;
}

interface UsageOptions extends ConfigOptions {
  space?: string;
  split: string;
  unit?: string;
  out?: string;
}

/** Per domain: videos, units, prototypes it uses (share >= 1/K) and its three most used prototypes. */
function usageRows(u: PrototypeUsage): Record<string, string | number>[] {
  return u.domains.map((d: DomainUsage) => {
    const top = d.shares
      .map((share, j) => ({ j, share }))
      .sort((a, b) => b.share - a.share || a.j - b.j)
      .slice(0, 3)
      .map((t) => `m${t.j + 1} ${t.share.toFixed(2)}`)
      .join(", ");
    return {
      domain: d.domain,
      role: d.role,
      videos: d.videos,
      units: d.units,
      "prototypes used": d.shares.filter((s) => s >= u.threshold).length,
      "most used (share)": top,
    };
  });
}

/** How widely the prototypes are shared: used by every domain, by at least half, by one only, by none. */
function sharingLine(u: PrototypeUsage): string {
  const n = u.domains.length;
  const count = (f: (used: number) => boolean) => u.domainsUsing.filter(f).length;
  return `of K=${u.k} prototypes (a domain uses one when at least 1/K of its audio units are nearest to it), ${count((x) => x === n)} are used by all ${n} domains with audio, ${count((x) => x >= n / 2)} by at least half, ${count((x) => x === 1)} by one domain only, ${count((x) => x === 0)} by none`;
}

function usageCommand(): Command {
  const cmd = withConfig(
    new Command("usage")
      .description(
        "which auditory prototypes each domain's audio uses (the paper's Figure 9): every unit of T frames assigned to its nearest prototype, shares per domain as a table and a heat map",
      )
      .option("--space <file>", "an auditory space (.safetensors); default: built as `tavt train` builds it")
      .addOption(
        new Option("--split <split>", "which videos of each domain").choices(["train", "test", "all"]).default("all"),
      )
      .option("--unit <T>", "frames per unit (default the space's T; a space from pooled points has T = 1)")
      .option("-o, --out <dir>", "write usage.md, usage.csv, usage.json and usage.svg (the heat map) here"),
  ).action(async (o: UsageOptions) => {
    const out = outputOf(o);
    const unit = positive("--unit", o.unit);
    const config = configOf(o);
    const data = await loadExperimentData(config);
    const space = o.space ? await loadSpace(o.space) : await spaceFor(config, data);
    if (data.audioDim !== null && data.audioDim !== space.dim) {
      throw new TavtError(
        "SHAPE_MISMATCH",
        `--space ${o.space}: prototypes of dim ${space.dim}, but the audio of ${data.dataset.name} has dim ${data.audioDim}`,
        { file: o.space, expected: data.audioDim, got: space.dim },
      );
    }
    out.note(`assigning the ${o.split} audio of ${data.describe} to K=${space.k} prototypes (${space.source})`);
    const usage = prototypeUsage(space, data.dataset, { split: o.split as "train" | "test" | "all", unit });
    const rows = usageRows(usage);
    const line = sharingLine(usage);
    if (o.out) {
      mkdirSync(o.out, { recursive: true });
      const title = `Auditory prototypes used by each domain's audio, ${o.split} split of ${data.dataset.name}, K=${space.k} from ${space.source} (Figure 9)`;
      writeFileAtomic(join(o.out, "usage.md"), `## ${title}\n\n${markdownTable(rows)}\n\n${line}.\n`);
      const header = ["domain", "role", "units", ...Array.from({ length: usage.k }, (_, j) => `m${j + 1}`)];
      const csv = usage.domains.map((d) => [d.domain, d.role, d.units, ...d.shares.map((v) => v.toFixed(6))].join(","));
      writeFileAtomic(join(o.out, "usage.csv"), `${[header.join(","), ...csv].join("\n")}\n`);
      writeFileAtomic(
        join(o.out, "usage.json"),
        `${JSON.stringify({ split: o.split, source: space.source, ...usage }, null, 1)}\n`,
      );
      const subtitle = `${o.split} split of ${data.dataset.name}; K=${space.k} from ${space.source}; each unit of T=${usage.unit} frames counted at its nearest prototype`;
      writeFileAtomic(join(o.out, "usage.svg"), await prototypeUsageSvg(usage.domains, { subtitle }));
    }
    out.result({ split: o.split, k: usage.k, unit: usage.unit, rows, domainsUsing: usage.domainsUsing }, () => {
      return `${alignedTable(rows)}\n${line}${o.out ? `; wrote ${join(o.out, "usage.svg")}` : ""}`;
    });
  });
  return example(
    cmd,
    "pnpm tavt clusters usage --out results/figure9",
    "pnpm tavt clusters usage --space space.safetensors --data msrvtt --annotations DIR --features V.h5 --audio-features A.h5 --out results/figure9",
  );
}
