/**
 * The differential suite's runner: each case runs on the reference (tfjs's cpu backend, or the case's plain-JS
 * reference) and on the backend under test, and the results are compared as torch.allclose does (NaN equals NaN, an
 * infinity must match exactly, signed zeros where the case says). After every case a sentinel tensor is allocated,
 * filled and read back, and every tenth result is kept and re-read at the end: a kernel that writes outside its
 * tensor (the wasm heap) or a pool that hands out a live array (native) shows there.
 */
import { type Case, FAMILIES, Gen, type GenOptions, type Input, Rand, type Result, type TF } from "./cases";

export interface Env {
  tf: TF;
  /** Makes `backend` the active tfjs backend. */
  use(backend: string): Promise<void>;
}

export interface Mismatch {
  family: string;
  label: string;
  why: string;
}

export interface FamilyCount {
  family: string;
  cases: number;
  mismatches: number;
}

export interface SuiteReport {
  backend: string;
  seed: number;
  counts: FamilyCount[];
  mismatches: Mismatch[];
  /** Sentinel and kept-tensor failures (heap or pool corruption). */
  corruption: string[];
}

export interface SuiteOptions extends Partial<GenOptions> {
  seed: number;
  /** Cases per family. */
  cases: number;
  /** Families to run (default all). */
  families?: string[];
}

/** A 32-bit hash of a string (FNV-1a), to give each family its own stream from one seed. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function generate(family: string, seed: number, count: number, opt: Partial<GenOptions> = {}): Case[] {
  const make = FAMILIES[family];
  if (!make) throw new Error(`differential: unknown family "${family}"`);
  const g = new Gen(new Rand((seed * 0x9e3779b1) ^ hash(family)), { special: 0.08, empty: 0.08, ...opt });
  return Array.from({ length: count }, (_, i) => make(g, i));
}

type Outcome = { ok: true; results: Result[] } | { ok: false; error: string };

function tensorOf(tf: TF, x: Input) {
  return tf.tensor(x.dtype === "bool" ? Uint8Array.from(x.data) : x.data, x.shape, x.dtype);
}

/** Runs a case on the active backend; never throws. */
function execute(tf: TF, c: Case): Outcome {
  try {
    const results = tf.tidy(() => {
      const xs = c.inputs.map((x) => tensorOf(tf, x));
      const out = c.run(tf, xs);
      return (Array.isArray(out) ? out : [out]).map((t) => ({
        shape: [...t.shape],
        dtype: t.dtype,
        data: Array.from(t.dataSync() as ArrayLike<number>),
      }));
    });
    return { ok: true, results };
  } catch (e) {
    return { ok: false, error: String(e instanceof Error ? e.message : e).split("\n")[0]! };
  }
}

const show = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

/** Why `got` differs from `want`, or null. */
export function differ(got: Result, want: Result, c: Pick<Case, "atol" | "rtol" | "signedZero">): string | null {
  if (got.shape.join() !== want.shape.join()) return `shape [${got.shape}], want [${want.shape}]`;
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, want ${want.dtype}`;
  if (got.data.length !== want.data.length) return `${got.data.length} values, want ${want.data.length}`;
  for (let i = 0; i < want.data.length; i++) {
    // float32 values as float32 holds them (a float32 tensor cast from int32 may keep its Int32Array on cpu)
    const f32 = want.dtype === "float32";
    const g = f32 ? Math.fround(got.data[i]!) : got.data[i]!;
    const w = f32 ? Math.fround(want.data[i]!) : want.data[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w)
        ? g === w
        : w === 0 && c.signedZero
          ? Object.is(g, w)
          : Math.abs(g - w) <= c.atol + c.rtol * Math.abs(w);
    if (!ok) return `[${i}] got ${show(g)}, want ${show(w)} (of ${want.data.length})`;
  }
  return null;
}

/** A sentinel: allocate, fill with a pattern, read back. Returns why it failed, or null. */
function sentinel(tf: TF, n: number, tag: number): string | null {
  try {
    const t = tf.tidy(() => tf.add(tf.range(0, n, 1, "float32"), tag));
    const v = t.dataSync();
    t.dispose();
    for (let i = 0; i < n; i++) if (v[i] !== i + tag) return `sentinel [${n}] read ${v[i]} at ${i}, want ${i + tag}`;
    return null;
  } catch (e) {
    return `sentinel [${n}] threw: ${String(e instanceof Error ? e.message : e).split("\n")[0]}`;
  }
}

/** Runs the suite on `backend` against the reference; never throws for a failing case. */
export async function runSuite(env: Env, backend: string, opt: SuiteOptions): Promise<SuiteReport> {
  const { tf } = env;
  const families = opt.families ?? Object.keys(FAMILIES);
  const report: SuiteReport = { backend, seed: opt.seed, counts: [], mismatches: [], corruption: [] };
  const kept: { t: ReturnType<TF["tensor"]>; data: number[]; label: string }[] = [];
  for (const family of families) {
    const cases = generate(family, opt.seed, opt.cases, opt);
    await env.use("cpu");
    // Where a case has a plain-JS reference, tfjs's cpu backend still decides whether the op is defined at all (an
    // op that tfjs-core refuses on every backend must throw on the one under test too).
    const want = cases.map((c) => {
      const cpu = execute(tf, c);
      return c.reference && cpu.ok ? referenceOutcome(c) : cpu;
    });
    await env.use(backend);
    let bad = 0;
    cases.forEach((c, i) => {
      if (process.env.TAVT_DIFF_TRACE) process.stderr.write(`${family} ${i} ${c.label}\n`);
      const got = execute(tf, c);
      const w = want[i]!;
      let why: string | null = null;
      if (!w.ok)
        why = got.ok ? null : null; // both throwing (or only the reference) counts as agreement
      else if (!got.ok) why = `threw: ${got.error}`;
      else if (got.results.length !== w.results.length) why = `${got.results.length} outputs, want ${w.results.length}`;
      else {
        for (let k = 0; k < w.results.length && !why; k++) {
          const d = differ(got.results[k]!, w.results[k]!, c);
          if (d) why = w.results.length > 1 ? `output ${k}: ${d}` : d;
        }
      }
      if (why) {
        bad++;
        report.mismatches.push({ family, label: c.label, why });
      }
      if (process.env.TAVT_DIFF_TRACE) {
        for (let j = 0; j < 60; j++) {
          const e = sentinel(tf, 1 + ((j * 13) % 200), j % 3);
          if (e) process.stderr.write(`  HEAP ${e}\n`);
        }
      }
      const s = sentinel(tf, 1 + ((i * 37) % 300), i % 7);
      if (s) report.corruption.push(`after ${family} case ${i} (${c.label}): ${s}`);
      if (i % 10 === 0 && got.ok && w.ok) {
        // keep a float copy of the first input alive to the end and check it is never overwritten
        const x = c.inputs[0]!;
        const t = tf.tensor(Float32Array.from(x.data), x.shape, "float32");
        kept.push({ t, data: Array.from(Float32Array.from(x.data)), label: `${family} case ${i}` });
      }
    });
    report.counts.push({ family, cases: cases.length, mismatches: bad });
  }
  for (const k of kept) {
    try {
      const d = differ(
        { shape: k.t.shape, dtype: "float32", data: k.t.dataSync() },
        { shape: k.t.shape, dtype: "float32", data: k.data },
        { atol: 0, rtol: 0, signedZero: true },
      );
      if (d) report.corruption.push(`kept tensor from ${k.label} changed: ${d}`);
      k.t.dispose();
    } catch (e) {
      report.corruption.push(
        `kept tensor from ${k.label}: ${String(e instanceof Error ? e.message : e).split("\n")[0]}`,
      );
    }
  }
  return report;
}

function referenceOutcome(c: Case): Outcome {
  try {
    return { ok: true, results: c.reference!(c.inputs) };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}

/**
 * The heap and pool stress: chains of allocate-compute-dispose over every dtype and many sizes (empty ones among
 * them), keeping some results alive with a snapshot of their values; every kept tensor is re-read at the end and a
 * sentinel is checked after every chain. Returns the failures (empty when the heap stayed intact).
 */
export async function stress(env: Env, backend: string, seed: number, chains: number): Promise<string[]> {
  const { tf } = env;
  await env.use(backend);
  const g = new Gen(new Rand(seed ^ 0x51ed), { special: 0.05, empty: 0.15 });
  const failures: string[] = [];
  const kept: { t: ReturnType<TF["tensor"]>; data: number[]; what: string }[] = [];
  for (let c = 0; c < chains; c++) {
    const dtype = g.r.pick(["float32", "int32", "bool"] as const);
    const shape = g.shape(1, 3);
    const x = g.input(shape, dtype);
    try {
      const out = tf.tidy(() => {
        let t = tensorOf(tf, x);
        for (let s = 0; s < g.r.int(1, 5); s++) {
          const op = g.r.int(0, 6);
          if (op === 0) t = tf.reverse(t, 0);
          else if (op === 1) t = tf.concat([t, t], 0);
          else if (op === 2)
            t = tf.tile(
              t,
              t.shape.map(() => g.r.int(1, 2)),
            );
          else if (op === 3)
            t = tf.pad(
              t,
              t.shape.map(() => [0, 1] as [number, number]),
            );
          else if (op === 4) t = tf.transpose(t);
          else if (op === 5) t = t.dtype === "bool" ? t : tf.add(t, t);
          else
            t = tf.slice(
              t,
              t.shape.map(() => 0),
              t.shape.map((d) => Math.max(0, d - 1)),
            );
        }
        return t;
      });
      if (c % 5 === 0) kept.push({ t: out, data: Array.from(out.dataSync() as ArrayLike<number>), what: `chain ${c}` });
      else out.dispose();
    } catch (e) {
      failures.push(`chain ${c} threw: ${String(e instanceof Error ? e.message : e).split("\n")[0]}`);
    }
    const s = sentinel(tf, 1 + ((c * 53) % 500), c % 5);
    if (s) failures.push(`after chain ${c}: ${s}`);
  }
  for (const k of kept) {
    try {
      const d = differ(
        { shape: k.t.shape, dtype: k.t.dtype, data: k.t.dataSync() as ArrayLike<number> },
        { shape: k.t.shape, dtype: k.t.dtype, data: k.data },
        { atol: 0, rtol: 0, signedZero: true },
      );
      if (d) failures.push(`kept ${k.what} changed: ${d}`);
      k.t.dispose();
    } catch (e) {
      failures.push(`kept ${k.what}: ${String(e instanceof Error ? e.message : e).split("\n")[0]}`);
    }
  }
  return failures;
}

/** One line per family: cases and mismatches. */
export function summary(r: SuiteReport): string {
  const total = r.counts.reduce((p, c) => p + c.cases, 0);
  const bad = r.counts.reduce((p, c) => p + c.mismatches, 0);
  const rows = r.counts.map(
    (c) => `  ${c.family.padEnd(18)} ${String(c.cases).padStart(6)} ${String(c.mismatches).padStart(6)}`,
  );
  return [
    `${r.backend} seed ${r.seed}: ${bad} of ${total} cases differ; ${r.corruption.length} corruption reports`,
    `  ${"family".padEnd(18)} ${"cases".padStart(6)} ${"differ".padStart(6)}`,
    ...rows,
  ].join("\n");
}
