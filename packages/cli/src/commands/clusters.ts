import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type BuiltAuditorySpace,
  buildAuditorySpaceFromPoints,
  cutUnits,
  type FeatureSequence,
  type KMeansProgress,
  type PointSet,
  readNpy,
  saveAuditorySpace,
} from "@tavt/clusters";
import { TavtError } from "@tavt/core";
import {
  type CaptionDataset,
  DATASET_ANNOTATIONS,
  type FeatureStore,
  loadDataset,
  makeSynthetic,
  openFeatureStore,
} from "@tavt/datasets";
import { Command } from "commander";
import { usageError } from "../errors";
import type { Output } from "../output";
import { createProgress } from "../progress";
import { type CommonOptions, ensureBackend, example, outputOf, parseInt10, withCommon } from "./common";

interface BuildOptions extends CommonOptions {
  features?: string;
  k: string;
  unit?: string;
  nInit?: string;
  seed?: string;
  miniBatch?: string;
  out: string;
}

/** What `--json` prints: exactly these keys. */
export interface ClustersBuildResult {
  k: number;
  n: number;
  dim: number;
  inertia: number;
  iterations: number;
  /** Seconds of k-means fitting only (not reading, cutting or start-up). */
  seconds: number;
}

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

/** What `--features` names (or the embedded synthetic benchmark without it), read and checked. */
async function prepare(features: string | undefined, unit: number | undefined): Promise<Prepared> {
  if (features === undefined) return fromDataset(makeSynthetic({ seed: 0 }), unit ?? DEFAULT_UNIT, "synthetic");
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
    "the universal auditory semantic space (section 3.1): k-means prototypes of audio units",
  );
  const build = withCommon(
    new Command("build")
      .description(
        "cluster audio features into K prototypes and save the space (safetensors): a 2-D .npy [N, D] is N points; a feature store (.npy directory, .npz, HDF5) or dataset directory is cut into units of T frames and mean-pooled; without --features, the embedded synthetic benchmark's source-domain audio",
      )
      .option(
        "--features <path>",
        "a 2-D .npy [N, D], a feature store (.npy directory, .npz, HDF5) or dataset directory",
      )
      .requiredOption("--k <n>", "K: prototypes (the paper's best is 100, Table 10)")
      .option("--unit <T>", `frames per unit for feature stores (default ${DEFAULT_UNIT})`)
      .option("--n-init <n>", "k-means restarts, the lowest inertia kept (default 1)")
      .option("--seed <n>", "seed of k-means++ (default 0)")
      .option("--mini-batch <size>", "mini-batch k-means with this batch size (for very many units)")
      .requiredOption("-o, --out <file>", "output .safetensors file"),
  ).action(async (o: BuildOptions) => {
    const out = outputOf(o);
    const k = positive("--k", o.k)!;
    const unit = positive("--unit", o.unit);
    const nInit = positive("--n-init", o.nInit);
    const seed = parseInt10("--seed", o.seed) ?? 0;
    const miniBatch = positive("--mini-batch", o.miniBatch);
    checkOut(o.out);
    const p = await prepare(o.features, unit);
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
    };
    out.result(
      result,
      () =>
        `auditory space: K=${space.k} prototypes of dim ${space.dim} (T=${space.unit}) from ${space.n} units of ${space.source}; inertia ${space.inertia.toPrecision(7)} after ${space.iterations} iterations${space.converged ? "" : " (not converged)"} in ${result.seconds} s; wrote ${o.out}`,
    );
  });
  example(
    build,
    "pnpm tavt clusters build --k 100 --out space.safetensors --json",
    "pnpm tavt clusters build --features audio.npy --k 100 --n-init 3 --seed 1 --out space.safetensors",
  );
  clusters.addCommand(build);
  return clusters;
}
