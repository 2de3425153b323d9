import { join } from "node:path";
import {
  alignedTable,
  alphaTraceSvg,
  type BarChartOptions,
  type CurvePoint,
  learningCurveSvg,
  markdownTable,
  type Output,
  type RunInfo,
  runInfo,
  saveRunInfo,
  toTable,
  tracesOf,
  writeResultTable,
} from "@tavt/cli";
import { writeFileAtomic } from "@tavt/core";
import {
  describeComparison,
  formatDifference,
  PAIRED_METHOD,
  type PairedDifference,
  pairedComparison,
} from "./compare";
import { meanStd, pm } from "./stats";
import type { CurveRecord, TransferResult, TransferRow } from "./transfer";

export type Metric = "BLEU1" | "BLEU4" | "METEOR" | "ROUGE_L" | "CIDEr";

/** Column titles as the paper prints them. */
export const METRIC_TITLES: Record<Metric, string> = {
  BLEU1: "BLEU-1",
  BLEU4: "BLEU-4",
  METEOR: "METEOR",
  ROUGE_L: "ROUGE-L",
  CIDEr: "CIDEr",
};

export interface ReportSpec {
  benchmark: string;
  title: string;
  /** How the benchmark was invoked (recorded beside the results). */
  command: string;
  metrics: Metric[];
  /** Group rows by these keys (besides the method): e.g. ["target"] or ["target", "fraction"]. */
  by: ("target" | "fraction")[];
  /** Add a "mean" target: the per-seed mean over targets, then mean ± std over seeds. */
  meanOverTargets?: boolean;
  seeds: number[];
  dir: string;
  out: Output;
  /** The method the paired comparison subtracts the others from; default the first method of the rows. */
  reference?: string;
}

/** The caption diagnostics every results table carries beside the scores (see TransferRow). */
const DIAGNOSTICS = ["distinct", "vocabulary", "length", "refLength"] as const;

/** The learning-curve points of a run: training loss (moving mean of 5 steps), validation L and NLL per word. */
export function curvePoints(curves: readonly CurveRecord[]): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (const { method, seed, curve } of curves) {
    curve.steps.forEach((s, i) => {
      const window = curve.steps.slice(Math.max(0, i - 4), i + 1);
      const value = window.reduce((a, x) => a + x.loss, 0) / window.length;
      out.push({
        method,
        seed,
        series: "training loss of the meta-batch (moving mean of 5 steps)",
        step: s.step,
        value,
      });
    });
    for (const v of curve.validation) {
      out.push({
        method,
        seed,
        series: "validation loss L (eq. 10), held-out source videos",
        step: v.step,
        value: v.total,
      });
      out.push({ method, seed, series: "validation NLL per word (no W_ma weights)", step: v.step, value: v.nll });
    }
  }
  return out;
}

/** The paired comparison of `reference` against every other method, per support fraction. */
function comparisonOf(rows: readonly TransferRow[], reference: string, metrics: readonly Metric[]): PairedDifference[] {
  const fractions = [...new Set(rows.map((r) => r.fraction))];
  return fractions.flatMap((f) =>
    pairedComparison(
      rows.filter((r) => r.fraction === f),
      reference,
      metrics,
    ).map((d) => (fractions.length > 1 ? { ...d, target: `${d.target} ${Math.round(f * 100)}%` } : d)),
  );
}

/**
 * The chart of a results table (the numeric rows of table.json: the `by` columns, method, `<metric>_mean` and
 * `<metric>_std`): one group of bars (one per method) per target (and fraction), one panel per metric in `metrics`
 * order, values at the table's 2 decimals (so a score of 1e-11 is drawn as the 0.00 the table shows).
 */
export function tableChart(
  numeric: readonly Record<string, string | number>[],
  metrics: readonly Metric[],
  by: readonly string[],
): { chart: Omit<BarChartOptions, "title">; chartRows: Record<string, string | number>[] } {
  const group = by.join(", ");
  const chartRows = numeric.flatMap((n) =>
    metrics.map((m) => ({
      ...(by.length ? { [group]: by.map((b) => String(n[b])).join(" ") } : {}),
      method: String(n.method),
      metric: METRIC_TITLES[m],
      "score (x100)": Number(Number(n[`${m}_mean`]).toFixed(2)),
      std: Number(Number(n[`${m}_std`]).toFixed(2)),
    })),
  );
  const chart = { x: "method", y: "score (x100)", ...(by.length ? { group } : {}), column: "metric", error: "std" };
  return { chart, chartRows };
}

const key = (r: TransferRow, by: ReportSpec["by"]) => by.map((b) => String(r[b])).join("|");

/**
 * Aggregate a transfer run over seeds (mean ± std), print the table, and write results/<benchmark>/: the table as
 * Markdown, CSV and JSON (with configs, seeds, backend and versions), per-seed raw rows, a bar chart SVG (every
 * target, and the mean, grouped by method; a panel per metric), and an alpha-trace SVG (Figure 11) of a few TAVT
 * captions with its data (alpha-traces.json).
 */
export async function report(result: TransferResult, spec: ReportSpec): Promise<string> {
  let rows = result.rows;
  if (spec.meanOverTargets) {
    const extra: TransferRow[] = [];
    const groups = new Map<string, TransferRow[]>();
    for (const r of rows) {
      const k = `${r.method}|${r.seed}|${r.fraction}`;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    for (const g of groups.values()) {
      const m = (f: Metric) => g.reduce((a, r) => a + r[f], 0) / g.length;
      const avg = (f: (typeof DIAGNOSTICS)[number]) => g.reduce((a, r) => a + r[f], 0) / g.length;
      extra.push({
        ...g[0]!,
        target: "mean",
        BLEU1: m("BLEU1"),
        BLEU4: m("BLEU4"),
        METEOR: m("METEOR"),
        ROUGE_L: m("ROUGE_L"),
        CIDEr: m("CIDEr"),
        distinct: avg("distinct"),
        vocabulary: avg("vocabulary"),
        length: avg("length"),
        refLength: avg("refLength"),
      });
    }
    rows = [...rows, ...extra];
  }
  const methods = [...new Set(rows.map((r) => r.method))];
  const groupKeys = [...new Set(rows.map((r) => key(r, spec.by)))];
  const display: Record<string, string | number>[] = [];
  const numeric: Record<string, string | number>[] = [];
  for (const g of groupKeys) {
    for (const method of methods) {
      const cell = rows.filter((r) => r.method === method && key(r, spec.by) === g);
      if (cell.length === 0) continue;
      const first = cell[0]!;
      const ids: Record<string, string | number> = {};
      for (const b of spec.by) ids[b] = b === "fraction" ? `${Math.round(first.fraction * 100)}%` : first[b];
      const d: Record<string, string | number> = { ...ids, method };
      const n: Record<string, string | number> = { ...ids, method };
      for (const m of spec.metrics) {
        const s = meanStd(cell.map((r) => r[m]));
        d[METRIC_TITLES[m]] = pm(s, cell.length);
        n[`${m}_mean`] = Number(s.mean.toFixed(4));
        n[`${m}_std`] = Number(s.std.toFixed(4));
      }
      // Caption diagnostics, means over seeds: distinct captions per test video (%), words used, mean length.
      const dm = (f: (typeof DIAGNOSTICS)[number]) => meanStd(cell.map((r) => r[f])).mean;
      d["distinct %"] = dm("distinct").toFixed(1);
      d.words = dm("vocabulary").toFixed(1);
      d["length (refs)"] = `${dm("length").toFixed(1)} (${dm("refLength").toFixed(1)})`;
      for (const f of DIAGNOSTICS) n[`${f}_mean`] = Number(dm(f).toFixed(4));
      display.push(d);
      numeric.push(n);
    }
  }
  const info: RunInfo & { jobs?: number } = runInfo(spec.command, spec.seeds, result.configs);
  info.finishedAt = new Date().toISOString();
  info.seconds = Number(result.seconds.toFixed(1));
  // runs at once, each in a worker process with one BLAS thread where above 1
  info.jobs = result.jobs ?? 1;
  saveRunInfo(spec.dir, info);
  const table = await toTable(numeric);
  await writeResultTable(spec.dir, table, {
    name: "table",
    title: spec.title,
    info,
    ...tableChart(numeric, spec.metrics, spec.by),
  });
  const reference = spec.reference ?? methods[0]!;
  const comparison = comparisonOf(result.rows, reference, spec.metrics);
  const reading = describeComparison(comparison, METRIC_TITLES);
  writeFileAtomic(
    join(spec.dir, "comparison.json"),
    `${JSON.stringify({ reference, method: PAIRED_METHOD, differences: comparison }, null, 1)}\n`,
  );
  const compareRows = comparison
    .filter((d) => d.target.startsWith("mean"))
    .map((d) => ({
      [`${reference} minus`]: d.method,
      ...(d.target === "mean" ? {} : { target: d.target }),
      metric: METRIC_TITLES[d.metric],
      "difference [95% interval]": formatDifference(d),
      verdict: d.verdict,
    }));
  const compareMd = compareRows.length
    ? `\n### Paired comparison (mean over targets)\n\n${markdownTable(compareRows)}\n\n${PAIRED_METHOD}.\n\n${reading}\n`
    : "";
  const md = `## ${spec.title}\n\n${markdownTable(display)}\n\nMean ± standard deviation over seeds ${spec.seeds.join(", ")}; distinct %: distinct captions per test video; words: distinct words used; length: mean caption length (the references' in brackets); backend ${info.backend}; ${info.seconds} s; printed by \`${spec.command}\`.\n${compareMd}`;
  writeFileAtomic(join(spec.dir, "table.md"), md);
  if (result.curves.length > 0) {
    writeFileAtomic(join(spec.dir, "curves.json"), `${JSON.stringify(result.curves)}\n`);
    const points = curvePoints(result.curves);
    if (points.length > 0) {
      writeFileAtomic(join(spec.dir, "curves.svg"), await learningCurveSvg(points, `Learning curves: ${spec.title}`));
    }
  }
  writeFileAtomic(join(spec.dir, "rows.json"), `${JSON.stringify(result.rows, null, 1)}\n`);
  const traces = tracesOf(result.captions, 4);
  if (traces.length > 0) {
    writeFileAtomic(join(spec.dir, "alpha-traces.svg"), await alphaTraceSvg(traces));
    writeFileAtomic(join(spec.dir, "alpha-traces.json"), `${JSON.stringify(traces, null, 1)}\n`); // to redraw it
  }
  const compareText = compareRows.length
    ? `\n\nPaired comparison (mean over targets):\n${alignedTable(compareRows)}\n${reading}`
    : "";
  const text = `${spec.title}\n\n${alignedTable(display)}\n\n(mean ± std over seeds ${spec.seeds.join(", ")}; ${info.seconds} s; backend ${info.backend}; written to ${spec.dir})${compareText}`;
  spec.out.print(text);
  return md;
}
