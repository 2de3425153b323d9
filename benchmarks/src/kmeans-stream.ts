/**
 * Mini-batch k-means over a feature file larger than memory (issue 15 point 7; section 3.2 and appendix D.1 at the paper's scale,
 * where the universal auditory space comes from k-means over 750k Flickr videos). A seeded Gaussian mixture of
 * 100 components in 128-d (as pooled VGGish units might look) is written in pieces to a temporary .npy, then:
 *
 * - streamed: `tavt clusters build --features FILE --k 100 --mini-batch 1024` in a child process (the CLI reads the
 *   file in 64 MiB chunks); its wall time, fit seconds and peak RSS (getrusage maxrss) as it reports them;
 * - full-batch Lloyd: `tavt clusters build --features SUB --k 100` (k-means++ and Lloyd to convergence, in memory)
 *   on a random subsample of the rows, also in a child process;
 * - the inertia (mean squared distance to the nearest centre) of both centre sets on the subsample and on the whole
 *   file, and their ratio streamed / Lloyd.
 *
 * The temporary files are deleted at the end (also on failure). Ends with one JSON line.
 *
 *   pnpm nx run benchmarks:kmeans-stream         (4,500,000 x 128 float32 = 2.3 GB; Lloyd on 100,000 rows)
 *   pnpm nx run benchmarks:kmeans-stream:quick   (300,000 rows = 154 MB; Lloyd on 20,000 rows)
 *   options: --rows N --subsample N --k K --batch B --chunk-mb M --dir DIR (where the file goes, default the OS temp)
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { inertiaOf, loadAuditorySpace, openNpyPoints, predict } from "@tavt/clusters";
import { encodeNpy } from "@tavt/datasets";

const HELP = `Usage: pnpm nx run benchmarks:kmeans-stream[:quick] -- [options]

Streamed mini-batch k-means over a .npy larger than memory, against full-batch Lloyd on a subsample.

Options:
  --quick         300,000 rows and a 20,000-row subsample (CI smoke test)
  --rows N        rows of the 128-d file (default 4,500,000: 2.3 GB)
  --subsample N   rows full-batch Lloyd clusters (default 100,000)
  --k K           prototypes (default 100, the paper's best)
  --batch B       mini-batch size (default 1024)
  --chunk-mb M    MiB of points the streamed fit holds at once (default 64)
  --dir DIR       where the temporary files go (default the OS temp directory); they are deleted at the end
  --preset <name> quick (the same as --quick), default or paper (the full measurement)
  --help          print this help and exit`;

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    rows: { type: "string" },
    subsample: { type: "string" },
    k: { type: "string" },
    batch: { type: "string" },
    "chunk-mb": { type: "string" },
    dir: { type: "string" },
    preset: { type: "string" },
    help: { type: "boolean", default: false },
  },
  strict: true,
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v.replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`kmeans-stream: --${name} ${v}: expected a positive integer`);
    process.exit(2);
  }
  return n;
}
if (values.preset !== undefined && !["quick", "default", "paper"].includes(values.preset)) {
  console.error(`tavt: --preset ${values.preset}: expected one of quick, default, paper`);
  process.exit(2);
}
const quick = Boolean(values.quick) || values.preset === "quick";
const N = positive("rows", values.rows, quick ? 300_000 : 4_500_000);
const S = Math.min(N, positive("subsample", values.subsample, quick ? 20_000 : 100_000));
const K = positive("k", values.k, 100);
const BATCH = positive("batch", values.batch, 1024);
const CHUNK_MB = positive("chunk-mb", values["chunk-mb"], 64);
const D = 128;
const COMPONENTS = 100;
const ROWS_PER_WRITE = 32_768;

/** sfc32: a small fast seeded generator (the data only needs to be reproducible, not Threefry's key splitting). */
function sfc32(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/** Fill `out` with standard normals (Box-Muller). */
function normals(u: () => number, out: Float32Array): void {
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(t);
  }
}

/** The mixture, written in pieces: component means ~ N(0, I), scales ~ U(0.5, 1.5), x = mean + scale * N(0, I). */
function writeMixture(path: string, n: number): number {
  const u = sfc32(2023);
  const means = new Float32Array(COMPONENTS * D);
  normals(u, means);
  const scales = Float32Array.from({ length: COMPONENTS }, () => 0.5 + u());
  const t0 = performance.now();
  const fd = openSync(path, "w");
  try {
    // The header of an [n, D] float32 array: encodeNpy's, with the row count put in (same padded length).
    const empty = new TextDecoder("latin1").decode(encodeNpy(new Float32Array(0), [0, D]));
    const header = empty.replace("(0, 128)", `(${n}, 128)`).replace(`${" ".repeat(String(n).length - 1)}\n`, "\n");
    writeSync(fd, Buffer.from(header, "latin1"));
    const rows = new Float32Array(ROWS_PER_WRITE * D);
    for (let start = 0; start < n; start += ROWS_PER_WRITE) {
      const m = Math.min(ROWS_PER_WRITE, n - start);
      const z = rows.subarray(0, m * D);
      normals(u, z);
      for (let i = 0; i < m; i++) {
        const c = Math.floor(u() * COMPONENTS);
        const s = scales[c]!;
        for (let d = 0; d < D; d++) z[i * D + d] = means[c * D + d]! + s * z[i * D + d]!;
      }
      writeSync(fd, new Uint8Array(z.buffer, 0, m * D * 4));
    }
  } finally {
    closeSync(fd);
  }
  return (performance.now() - t0) / 1000;
}

/** Rows `picks` (ascending) of a .npy, gathered into memory. */
function gather(path: string, picks: Int32Array): Float32Array {
  const file = openNpyPoints(path);
  try {
    const out = new Float32Array(picks.length * D);
    for (let r = 0; r < picks.length; r++) file.read(picks[r]!, 1, out.subarray(r * D, (r + 1) * D));
    return out;
  } finally {
    file.close();
  }
}

/** Mean squared distance to the nearest of `centres` over the whole file, read in chunks. */
function fileInertia(path: string, centres: Float32Array): number {
  const file = openNpyPoints(path);
  try {
    const chunk = 65_536;
    const x = new Float32Array(chunk * D);
    let total = 0;
    for (let start = 0; start < file.n; start += chunk) {
      const m = Math.min(chunk, file.n - start);
      const view = x.subarray(0, m * D);
      file.read(start, m, view);
      total += inertiaOf(view, m, D, centres, predict(view, m, D, centres));
    }
    return total / file.n;
  } finally {
    file.close();
  }
}

interface Built {
  wall: number;
  seconds: number;
  inertia: number;
  iterations: number;
  peakRssBytes: number;
  centres: Float32Array;
}

const BIN = createRequire(import.meta.url)
  .resolve("@tavt/cli/package.json")
  .replace(/package\.json$/, "dist/bin.js");

/** `tavt clusters build` in a child process (its own peak RSS), with the given extra options. */
function build(features: string, out: string, extra: string[]): Built {
  const args = [BIN, "clusters", "build", "--features", features, "--k", String(K), "--out", out, "--json", "-q"];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...args, ...extra], { encoding: "utf8", maxBuffer: 1 << 24 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`tavt clusters build failed (${r.status}): ${r.stderr.trim()}`);
  const json = JSON.parse(r.stdout) as Omit<Built, "wall" | "centres">;
  return { ...json, wall, centres: loadAuditorySpace(out).centers };
}

const mib = (b: number) => (b / 1024 ** 2).toFixed(0);
const dir = mkdtempSync(join(values.dir ?? tmpdir(), "tavt-kmeans-stream-"));
try {
  const file = join(dir, "units.npy");
  const genSeconds = writeMixture(file, N);
  const bytes = statSync(file).size;
  console.log(
    `kmeans-stream: ${N.toLocaleString("en")} x ${D} float32 (${(bytes / 1e9).toFixed(2)} GB, a Gaussian mixture of ${COMPONENTS}) written in ${genSeconds.toFixed(1)} s; K=${K}`,
  );
  // The subsample: S distinct rows, every (N / S)-th after a seeded random offset per stride (spread over the file).
  const u = sfc32(7);
  const picks = Int32Array.from({ length: S }, (_, r) =>
    Math.min(N - 1, Math.floor((r * N) / S + u() * Math.floor(N / S))),
  );
  const sub = gather(file, picks);
  const subFile = join(dir, "subsample.npy");
  writeFileSync(subFile, encodeNpy(sub, [S, D]));

  const streamed = build(file, join(dir, "streamed.safetensors"), [
    "--mini-batch",
    String(BATCH),
    "--chunk-mb",
    String(CHUNK_MB),
  ]);
  const lloyd = build(subFile, join(dir, "lloyd.safetensors"), []);
  const onSub = (c: Float32Array) => inertiaOf(sub, S, D, c, predict(sub, S, D, c)) / S;
  const subStreamed = onSub(streamed.centres);
  const subLloyd = onSub(lloyd.centres);
  const allStreamed = streamed.inertia / N;
  const allLloyd = fileInertia(file, lloyd.centres);

  console.log(
    "\n| fit | rows fitted | wall s | fit s | peak RSS MiB | steps/iters | inertia/row, subsample | inertia/row, all rows |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  console.log(
    `| mini-batch ${BATCH}, streamed in ${CHUNK_MB} MiB chunks | ${N.toLocaleString("en")} | ${streamed.wall.toFixed(1)} | ${streamed.seconds.toFixed(1)} | ${mib(streamed.peakRssBytes)} | ${streamed.iterations} | ${subStreamed.toFixed(4)} | ${allStreamed.toFixed(4)} |`,
  );
  console.log(
    `| full-batch Lloyd (k-means++), in memory | ${S.toLocaleString("en")} | ${lloyd.wall.toFixed(1)} | ${lloyd.seconds.toFixed(1)} | ${mib(lloyd.peakRssBytes)} | ${lloyd.iterations} | ${subLloyd.toFixed(4)} | ${allLloyd.toFixed(4)} |`,
  );
  console.log(
    `\ninertia ratio streamed / Lloyd: ${(subStreamed / subLloyd).toFixed(4)} on the subsample, ${(allStreamed / allLloyd).toFixed(4)} on all rows; file ${mib(bytes)} MiB, streamed peak RSS ${mib(streamed.peakRssBytes)} MiB (${((100 * streamed.peakRssBytes) / bytes).toFixed(1)}% of the file)`,
  );
  console.log(
    JSON.stringify({
      rows: N,
      dim: D,
      k: K,
      fileBytes: bytes,
      subsample: S,
      streamed: {
        wallSeconds: streamed.wall,
        fitSeconds: streamed.seconds,
        peakRssBytes: streamed.peakRssBytes,
        steps: streamed.iterations,
        inertiaPerRowSubsample: subStreamed,
        inertiaPerRowAll: allStreamed,
      },
      lloyd: {
        wallSeconds: lloyd.wall,
        fitSeconds: lloyd.seconds,
        peakRssBytes: lloyd.peakRssBytes,
        iterations: lloyd.iterations,
        inertiaPerRowSubsample: subLloyd,
        inertiaPerRowAll: allLloyd,
      },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
