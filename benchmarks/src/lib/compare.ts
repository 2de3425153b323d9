import { studentTQuantile } from "./tdist";
import type { TransferRow } from "./transfer";

/** The scores a paired comparison can take. */
export type ComparedMetric = "BLEU1" | "BLEU4" | "METEOR" | "ROUGE_L" | "CIDEr";

/** One paired difference: `reference` minus `method` on `metric` for one target (or the mean over targets). */
export interface PairedDifference {
  reference: string;
  method: string;
  target: string;
  metric: ComparedMetric;
  /** Seeds both methods ran (the pairs). */
  seeds: number[];
  /** reference - method, one per seed. */
  perSeed: number[];
  mean: number;
  /** The 95% confidence interval of the mean difference (Student's t over seeds); NaN with one seed. */
  low: number;
  high: number;
  /** The interval excludes 0: "reference better", "reference worse"; else "not established". */
  verdict: "reference better" | "reference worse" | "not established";
}

/** How the interval is computed (recorded beside the numbers). */
export const PAIRED_METHOD =
  "paired by seed (same data, auditory space and seed for both methods): per seed the difference of the scores (for 'mean', of the means over targets); mean difference with a 95% Student-t interval over seeds, t(0.975, n-1) x sd / sqrt(n)";

function interval(d: readonly number[]): { mean: number; low: number; high: number } {
  const n = d.length;
  const mean = d.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: Number.NaN, high: Number.NaN };
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { mean, low: mean - half, high: mean + half };
}

/** Per (method, seed): the score of each target. */
function cells(rows: readonly TransferRow[], metric: ComparedMetric): Map<string, Map<number, Map<string, number>>> {
  const out = new Map<string, Map<number, Map<string, number>>>();
  for (const r of rows) {
    const bySeed = out.get(r.method) ?? new Map<number, Map<string, number>>();
    out.set(r.method, bySeed);
    const byTarget = bySeed.get(r.seed) ?? new Map<string, number>();
    bySeed.set(r.seed, byTarget);
    byTarget.set(r.target, r[metric]);
  }
  return out;
}

/** The mean over the targets both methods have at a seed (null when they share none). */
function commonMean(a: Map<string, number>, b: Map<string, number>): [number, number] | null {
  const shared = [...a.keys()].filter((t) => b.has(t));
  if (shared.length === 0) return null;
  const mean = (m: Map<string, number>) => shared.reduce((s, t) => s + m.get(t)!, 0) / shared.length;
  return [mean(a), mean(b)];
}

/**
 * `reference` (e.g. "TAVT (MAML)") against every other method of a transfer run, per metric and target (and the mean
 * over the targets both methods ran), paired by seed. Rows of one support fraction only (the caller filters).
 */
export function pairedComparison(
  rows: readonly TransferRow[],
  reference: string,
  metrics: readonly ComparedMetric[],
): PairedDifference[] {
  const out: PairedDifference[] = [];
  const methods = [...new Set(rows.map((r) => r.method))].filter((m) => m !== reference);
  const targets = [...new Set(rows.map((r) => r.target)), "mean"];
  for (const metric of metrics) {
    const c = cells(rows, metric);
    const ref = c.get(reference);
    if (!ref) continue;
    for (const method of methods) {
      const other = c.get(method)!;
      for (const target of targets) {
        const pair = (s: number): [number, number] | null => {
          const a = ref.get(s);
          const b = other.get(s);
          if (!a || !b) return null;
          if (target === "mean") return commonMean(a, b);
          return a.has(target) && b.has(target) ? [a.get(target)!, b.get(target)!] : null;
        };
        const seeds = [...ref.keys()].filter((s) => pair(s) !== null);
        if (seeds.length === 0) continue;
        const perSeed = seeds.map((s) => {
          const [a, b] = pair(s)!;
          return a - b;
        });
        const { mean, low, high } = interval(perSeed);
        const verdict = low > 0 ? "reference better" : high < 0 ? "reference worse" : "not established";
        out.push({ reference, method, target, metric, seeds, perSeed, mean, low, high, verdict });
      }
    }
  }
  return out;
}

/**
 * "+1.23 [-0.40, 2.86]" (or "+1.23 (one seed: no interval)"; a one-seed interval is NaN, which comparison.json
 * saves as null).
 */
export function formatDifference(d: PairedDifference): string {
  const sign = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(2)}`;
  if (typeof d.low !== "number" || Number.isNaN(d.low)) return `${sign(d.mean)} (one seed: no interval)`;
  return `${sign(d.mean)} [${sign(d.low)}, ${sign(d.high)}]`;
}

/** The reading in words: which differences (on the mean over targets) are established and which are not. */
export function describeComparison(diffs: readonly PairedDifference[], titles: Record<string, string>): string {
  const mean = diffs.filter((d) => d.target === "mean");
  if (mean.length === 0) return "";
  const ref = mean[0]!.reference;
  const n = Math.min(...mean.map((d) => d.seeds.length));
  if (n < 2) return `With one seed no difference can be established: run with --seeds 0,1,2 or more.`;
  const line = (d: PairedDifference) => `${titles[d.metric] ?? d.metric} ${formatDifference(d)}`;
  const parts: string[] = [];
  for (const method of [...new Set(mean.map((d) => d.method))]) {
    const m = mean.filter((d) => d.method === method);
    const better = m.filter((d) => d.verdict === "reference better");
    const worse = m.filter((d) => d.verdict === "reference worse");
    const open = m.filter((d) => d.verdict === "not established");
    const said: string[] = [];
    if (better.length) said.push(`ahead on ${better.map(line).join(", ")}`);
    if (worse.length) said.push(`behind on ${worse.map(line).join(", ")}`);
    if (open.length) said.push(`not established on ${open.map(line).join(", ")}`);
    parts.push(`- against ${method}: ${said.join("; ")}.`);
  }
  return `${ref} minus each other method, mean over targets, 95% interval over ${n} paired seeds (a difference is established when its interval excludes 0):\n${parts.join("\n")}`;
}
