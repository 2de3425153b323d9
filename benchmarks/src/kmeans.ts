/**
 * k-means against scikit-learn: 100,000 x 128 float32 points (a seeded Gaussian mixture of 100 components with
 * per-component scales, as pooled audio features might look), K = 100, one initialisation, one thread.
 * The data is written to a temporary .npy so that scikit-learn clusters the identical values.
 *
 * For each seed it prints our inertia and seconds (fit only), scikit-learn's (KMeans(n_clusters=100, n_init=1,
 * init="k-means++", algorithm="lloyd"), fit only, threadpoolctl limit 1 and OMP_NUM_THREADS=1), and the ratios
 * ours/theirs. Each side draws its own k-means++ start, so one seed's inertia ratio also measures the luck of the
 * draw (it varies by a few per cent from seed to seed on both sides, see the standard deviations printed); the mean
 * over seeds is the figure to read. A "same start" row runs scikit-learn's Lloyd from our k-means++
 * centres, which separates the quality of Lloyd from that of the draw. Then the distance step three ways (the
 * measurement behind the package's choice of kernel): tfjs matMul on the active backend, plain JS typed-array loops,
 * and the WebAssembly SIMD kernel. Ends with one JSON line.
 * Imports @tavt/clusters from its built dist (`pnpm --filter @tavt/clusters build` first; nx does it).
 *
 *   pnpm nx run benchmarks:kmeans          (tsx src/kmeans.ts, cwd benchmarks/; --seeds N, default 5)
 *   pnpm nx run benchmarks:kmeans:quick    (--quick: 20,000 points, one seed)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initCenters, kmeans, squaredDistances } from "@tavt/clusters";
import { initBackend, rng, tf } from "@tavt/core";
import { encodeNpy } from "@tavt/datasets";
import { scriptHelp } from "./lib/help";

const quick = scriptHelp("kmeans", "k-means against scikit-learn: 100,000 x 128 points, K = 100.", [
  { flag: "--quick", text: "20,000 points, one seed" },
  { flag: "--seeds <n>", text: "number of seeds (default 5)" },
]);
const seedsArg = process.argv.indexOf("--seeds");
const seeds = quick ? 1 : seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 5;
const N = quick ? 20_000 : 100_000;
const D = 128;
const K = 100;
const PYTHON = "/usr/bin/python3";
const SKLEARN = join("..", "tools", "clusters", "sklearn_kmeans.py");

/** The mixture: component means ~ N(0, I), component scales ~ U(0.5, 1.5), x = mean + scale * N(0, I). */
function mixture(n: number): Float32Array {
  const [kc, ks, kl, kz] = rng.split(rng.key(2023), 4);
  const means = rng.normalArray(kc!, K * D);
  const scales = rng.uniformArray(ks!, K);
  const comp = rng.randint(kl!, n, K);
  const z = rng.normalArray(kz!, n * D);
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const c = comp[i]!;
    const s = 0.5 + scales[c]!;
    for (let d = 0; d < D; d++) x[i * D + d] = means[c * D + d]! + s * z[i * D + d]!;
  }
  return x;
}

function sklearnAvailable(): boolean {
  try {
    execFileSync(PYTHON, ["-c", "import sklearn, threadpoolctl"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

interface Fit {
  inertia: number;
  seconds: number;
  iterations: number;
}

function sklearn(file: string, seed: number, init?: string): Fit & { sklearn: string } {
  const args = [SKLEARN, file, String(K), String(seed), ...(init ? [init] : [])];
  const out = execFileSync(PYTHON, args, { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

function ours(x: Float32Array, seed: number, init?: Float32Array): Fit {
  const t0 = performance.now();
  const r = kmeans(x, N, D, { k: K, seed, nInit: 1, ...(init ? { init } : {}) });
  return { inertia: r.inertia, seconds: (performance.now() - t0) / 1000, iterations: r.iterations };
}

const fmt = (v: number, digits = 3) => v.toFixed(digits);
const x = mixture(N);
const dir = mkdtempSync(join(tmpdir(), "tavt-kmeans-bench-"));
const dataFile = join(dir, "points.npy");
writeFileSync(dataFile, encodeNpy(x, [N, D]));
const haveSklearn = sklearnAvailable();
console.log(`k-means: ${N} x ${D} float32 points (Gaussian mixture of ${K}), K=${K}, n_init=1, one thread`);
if (!haveSklearn) console.log(`(scikit-learn is not importable by ${PYTHON}: our figures only)`);
console.log("seed   ours inertia    s    iters | sklearn inertia    s    iters | inertia ratio  time ratio");

const rows: { seed: number; ours: Fit; sklearn: Fit | null }[] = [];
try {
  for (let seed = 0; seed < seeds; seed++) {
    const o = ours(x, seed);
    const s = haveSklearn ? sklearn(dataFile, seed) : null;
    rows.push({ seed, ours: o, sklearn: s });
    const theirs = s
      ? `${fmt(s.inertia, 1).padStart(15)} ${fmt(s.seconds, 2).padStart(6)} ${String(s.iterations).padStart(5)} | ${fmt(o.inertia / s.inertia, 5).padStart(13)} ${fmt(o.seconds / s.seconds, 3).padStart(11)}`
      : "";
    console.log(
      `${String(seed).padStart(4)} ${fmt(o.inertia, 1).padStart(14)} ${fmt(o.seconds, 2).padStart(6)} ${String(o.iterations).padStart(5)} | ${theirs}`,
    );
  }
  let same: { ours: Fit; sklearn: Fit } | null = null;
  if (haveSklearn) {
    const start = initCenters(x, N, D, { k: K, seed: 0 });
    const initFile = join(dir, "init.npy");
    writeFileSync(initFile, encodeNpy(start, [K, D]));
    same = { ours: ours(x, 0, start), sklearn: sklearn(dataFile, 0, initFile) };
    console.log(
      `same start (our seed-0 k-means++ centres, Lloyd only): ours ${fmt(same.ours.inertia, 1)} in ${fmt(same.ours.seconds, 2)} s (${same.ours.iterations} iters), sklearn ${fmt(same.sklearn.inertia, 1)} in ${fmt(same.sklearn.seconds, 2)} s (${same.sklearn.iterations} iters): inertia ratio ${fmt(same.ours.inertia / same.sklearn.inertia, 6)}, time ratio ${fmt(same.ours.seconds / same.sklearn.seconds, 3)}`,
    );
  }
  const mean = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  const std = (f: (r: (typeof rows)[number]) => number) => {
    const m = mean(f);
    return Math.sqrt(rows.reduce((a, r) => a + (f(r) - m) ** 2, 0) / Math.max(1, rows.length - 1));
  };
  const ratios = haveSklearn
    ? {
        inertia: mean((r) => r.ours.inertia) / mean((r) => r.sklearn!.inertia),
        time: mean((r) => r.ours.seconds) / mean((r) => r.sklearn!.seconds),
      }
    : null;
  if (ratios) {
    const spread = (f: (r: (typeof rows)[number]) => number) => `${fmt((100 * std(f)) / mean(f), 2)}%`;
    console.log(
      `mean over ${rows.length} seed(s): inertia ours/sklearn ${fmt(ratios.inertia, 5)} (goal <= 1.001; seed-to-seed std ours ${spread((r) => r.ours.inertia)}, sklearn ${spread((r) => r.sklearn!.inertia)}), time ours/sklearn ${fmt(ratios.time, 3)} (goal <= 1)`,
    );
  }

  // The distance step three ways: all N x K squared distances.
  const backend = await initBackend();
  const centres = x.slice(0, K * D);
  const flops = 2 * N * K * D;
  const time = (f: () => void) => {
    f(); // warm up (compilation, allocation)
    const t0 = performance.now();
    f();
    return (performance.now() - t0) / 1000;
  };
  const tfjs = time(() => {
    const d = tf.tidy(() => {
      const xt = tf.tensor2d(x, [N, D]);
      const ct = tf.tensor2d(centres, [K, D]);
      const xn = xt.square().sum(1, true); // [N, 1]
      const cn = ct.square().sum(1).reshape([1, K]); // [1, K]
      return xn
        .add(cn)
        .sub(tf.matMul(xt, ct, false, true).mul(2))
        .relu(); // [N, K]
    });
    d.dataSync();
    d.dispose();
  });
  const js = time(() => squaredDistances(x, N, D, centres, { kernel: "js" }));
  const wasm = time(() => squaredDistances(x, N, D, centres, { kernel: "wasm" }));
  console.log(
    `distance step, end to end (data in, ${N} x ${K} squared distances out; ${fmt(flops / 1e9, 2)} GFLOP in the products):`,
  );
  for (const [name, s] of [
    [`tfjs matMul, expanded form (${backend.backend} backend)`, tfjs],
    ["JS typed-array loops (kernel: js)", js],
    ["WebAssembly SIMD, 4x12 register blocks (kernel: wasm)", wasm],
  ] as const) {
    console.log(`  ${name.padEnd(56)} ${fmt(s, 3).padStart(7)} s  ${fmt(flops / s / 1e9, 1).padStart(5)} GFLOP/s`);
  }
  console.log(
    JSON.stringify({
      n: N,
      dim: D,
      k: K,
      seeds: rows.map((r) => ({ seed: r.seed, ours: r.ours, sklearn: r.sklearn })),
      sameStart: same,
      ratios,
      distanceStep: { backend: backend.backend, tfjsSeconds: tfjs, jsSeconds: js, wasmSeconds: wasm },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
