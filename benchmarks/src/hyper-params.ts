/**
 * Paper Figures 6 and 8 (hyper-parameter analysis on MSR-VTT-dagger, the whole meta-test set as one target): TAVT
 * (MAML) as the DCCL weights lambda (L_dis) and mu (L_dep) of eq. 10 vary, each with the others at the paper's
 * values (lambda 1e-4, mu 1e-2, tau 0.4), and as the temperature tau of eq. 6 takes 11 values from 0.01 to 1.0.
 * Settings shared by several sweeps (the paper's point) are trained once and reported in each sweep.
 * Writes the usual table files and `hyper-params.svg` (one panel per hyper-parameter, score against its value).
 */
import { join } from "node:path";
import { renderVegaLite } from "@tavt/cli";
import { writeFileAtomic } from "@tavt/core";
import { METRIC_TITLES, report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { ALL_TARGETS, settings, targetDomainsOf } from "./lib/settings";
import { meanStd } from "./lib/stats";
import { runTransfer, type TransferRow } from "./lib/transfer";

type Setting = { lambda: number; mu: number; tau: number };
const PAPER: Setting = { lambda: 1e-4, mu: 1e-2, tau: 0.4 };

/** The three sweeps: Figure 6's lambda and mu (orders of magnitude around the paper's), Figure 8's 11 taus. */
function sweeps(quick: boolean): { name: keyof Setting; symbol: string; values: number[] }[] {
  return quick
    ? [
        { name: "lambda", symbol: "λ", values: [0, 1e-4] },
        { name: "mu", symbol: "μ", values: [0, 1e-2] },
        { name: "tau", symbol: "τ", values: [0.01, 0.4, 1] },
      ]
    : [
        { name: "lambda", symbol: "λ", values: [0, 1e-5, 1e-4, 1e-3, 1e-2] },
        { name: "mu", symbol: "μ", values: [0, 1e-3, 1e-2, 1e-1, 1] },
        { name: "tau", symbol: "τ", values: [0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] },
      ];
}

const label = (s: Setting) => `λ=${s.lambda} μ=${s.mu} τ=${s.tau}`;

const DESCRIPTION =
  "Hyper-parameters (paper Figures 6 and 8): TAVT as lambda, mu (eq. 10) and tau (eq. 6-7) vary around the paper's values.";

await benchmarkMain({ name: "hyper-params", description: DESCRIPTION }, async (o, out) => {
  const plan = sweeps(o.quick).flatMap((sw) =>
    sw.values.map((v) => ({ sweep: sw, value: v, setting: { ...PAPER, [sw.name]: v } as Setting })),
  );
  const unique = [...new Map(plan.map((p) => [label(p.setting), p.setting])).values()];
  out.note(`hyper-params: ${plan.length} points in ${unique.length} distinct settings`);
  const domains = await targetDomainsOf(settings(o));
  const result = await runTransfer({
    jobs: o.jobs,
    preset: settings(o).preset,
    sets: settings(o).sets,
    variants: unique.map((s) => ({
      name: label(s),
      sets: [
        "model.kind=tavt",
        "meta.learner=maml",
        `model.lambda=${s.lambda}`,
        `model.mu=${s.mu}`,
        `model.tau=${s.tau}`,
      ],
    })),
    seeds: o.seeds,
    targets: (c) => ALL_TARGETS(c, domains),
    out,
  });
  // One row per sweep point: the run of its setting, named by the swept value.
  const rows: TransferRow[] = plan.flatMap((p) =>
    result.rows
      .filter((r) => r.method === label(p.setting))
      .map((r) => ({ ...r, method: `${p.sweep.symbol}=${p.value}` })),
  );
  const dir = resultsDir(o, "hyper-params");
  const metrics = ["BLEU4", "METEOR", "ROUGE_L", "CIDEr"] as const;
  await report(
    { ...result, rows },
    {
      benchmark: "hyper-params",
      title: `DCCL hyper-parameters (paper Figures 6 and 8): TAVT (MAML), source domains -> the meta-test set; others at ${label(PAPER)}`,
      command: commandLine("hyper-params", o),
      metrics: [...metrics],
      by: [],
      seeds: o.seeds,
      dir,
      out,
    },
  );
  const values = plan.flatMap((p) =>
    metrics.map((m) => {
      const cell = result.rows.filter((r) => r.method === label(p.setting)).map((r) => r[m]);
      const s = meanStd(cell);
      return {
        parameter: p.sweep.symbol,
        value: String(p.value),
        order: p.value,
        metric: METRIC_TITLES[m],
        score: s.mean,
      };
    }),
  );
  const svg = await renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "TAVT under λ, μ (Figure 6) and τ (Figure 8)", subtitle: `mean over seeds ${o.seeds.join(", ")}` },
    data: { values },
    facet: { column: { field: "parameter", type: "nominal", title: null, sort: ["λ", "μ", "τ"] } },
    spec: {
      width: 200,
      height: 180,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "value", type: "ordinal", sort: { field: "order" }, title: "value", axis: { labelAngle: -40 } },
        y: { field: "score", type: "quantitative", title: "score (x100)" },
        color: { field: "metric", type: "nominal", sort: null },
      },
    },
    resolve: { scale: { x: "independent" } },
  });
  writeFileAtomic(join(dir, "hyper-params.svg"), svg);
});
