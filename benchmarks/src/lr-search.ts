/**
 * The outer learning-rate search, with the same budget for every method of the cross-category table: each method
 * meta-trains at each rate of one grid (default 3e-4, 1e-3, 3e-3, 1e-2) for the preset's steps, with the preset's warmup,
 * decay and clipping, and the rate with the lowest validation NLL per word at the last step (held-out test-split
 * videos of the source domains, mean over seeds) is chosen. No target domain is adapted to or looked at: the choice
 * cannot be tuned on the test data. A run that diverges counts as the worst. Writes search.json (every cell and the
 * choices), table.md/table.json, curves.json and curves.svg.
 */
import { join } from "node:path";
import { learningCurveSvg, markdownTable, runInfo } from "@tavt/cli";
import { writeFileAtomic } from "@tavt/core";
import { lrSearchSvg } from "./lib/lr-chart";
import { curvePoints } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { CROSS_CATEGORY_VARIANTS, settings } from "./lib/settings";
import { meanStd } from "./lib/stats";
import { runTransfer } from "./lib/transfer";

/** The grid every method gets: four rates a factor of about 3 apart, from 3e-4 to 1e-2. */
export const LR_GRID = [3e-4, 1e-3, 3e-3, 1e-2] as const;

const DESCRIPTION =
  "Outer learning-rate search with an equal budget for every cross-category method: the grid's rate with the lowest final validation NLL on held-out source-domain videos (targets never looked at).";

/** One method at one rate and seed: how its training ended. */
interface Cell {
  method: string;
  lr: number;
  seed: number;
  /** Validation NLL per word at the last step (Infinity when the run diverged). */
  finalNll: number;
  /** Validation loss L (eq. 10) at the last step. */
  finalLoss: number;
  /** The lowest validation NLL of the run, and its step. */
  bestNll: number;
  bestStep: number;
  /** Steps whose meta-gradient norm was clipped. */
  clipped: number;
  diverged?: string;
}

await benchmarkMain({ name: "lr-search", description: DESCRIPTION, extra: ["lrs"] }, async (o, out) => {
  const lrs = o.lrs ?? (o.quick ? [3e-3, 1e-2] : [...LR_GRID]);
  const s = settings(o);
  const name = (method: string, lr: number) => `${method} @ ${lr}`;
  const result = await runTransfer({
    jobs: o.jobs,
    preset: s.preset,
    sets: s.sets,
    variants: CROSS_CATEGORY_VARIANTS.flatMap((v) =>
      lrs.map((lr) => ({ name: name(v.name, lr), sets: [...v.sets, `meta.outerLr=${lr}`] })),
    ),
    seeds: o.seeds,
    targets: () => [],
    continueOnDivergence: true,
    out,
  });
  const cells: Cell[] = [];
  for (const v of CROSS_CATEGORY_VARIANTS) {
    for (const lr of lrs) {
      for (const r of result.curves.filter((c) => c.method === name(v.name, lr))) {
        const val = r.curve.validation;
        const last = val.at(-1);
        const best = val.reduce((a, p) => (p.nll < a.nll ? p : a), last ?? { nll: Infinity, step: 0 });
        cells.push({
          method: v.name,
          lr,
          seed: r.seed,
          finalNll: r.diverged || !last ? Infinity : last.nll,
          finalLoss: r.diverged || !last ? Infinity : last.total,
          bestNll: best.nll,
          bestStep: best.step,
          clipped: r.curve.steps.filter((x) => x.clipped).length,
          ...(r.diverged ? { diverged: r.diverged } : {}),
        });
      }
    }
  }
  const meanOf = (xs: number[]) => (xs.some((x) => !Number.isFinite(x)) ? Infinity : meanStd(xs).mean);
  const choices: Record<string, number> = {};
  const rows: Record<string, string | number>[] = [];
  for (const v of CROSS_CATEGORY_VARIANTS) {
    const scored = lrs.map((lr) => ({
      lr,
      nll: meanOf(cells.filter((c) => c.method === v.name && c.lr === lr).map((c) => c.finalNll)),
    }));
    const chosen = scored.reduce((a, b) => (b.nll < a.nll ? b : a));
    choices[v.name] = chosen.lr;
    for (const { lr, nll } of scored) {
      const mine = cells.filter((c) => c.method === v.name && c.lr === lr);
      rows.push({
        method: v.name,
        "outer lr": String(lr),
        "final validation NLL": Number.isFinite(nll) ? nll.toFixed(4) : "diverged",
        "final validation L": Number.isFinite(meanOf(mine.map((c) => c.finalLoss)))
          ? meanOf(mine.map((c) => c.finalLoss)).toFixed(4)
          : "diverged",
        "lowest NLL (step)": mine.map((c) => `${c.bestNll.toFixed(4)} (${c.bestStep})`).join(", "),
        "clipped steps": mine.map((c) => c.clipped).join(", "),
        chosen: lr === chosen.lr ? "yes" : "",
      });
    }
  }
  const dir = resultsDir(o, "lr-search");
  const command = commandLine("lr-search", o);
  const seconds = Number(result.seconds.toFixed(1));
  const steps = Object.values(result.configs)[0]?.train.steps ?? 0;
  const md = `## Outer learning-rate search: the same grid for every method\n\n${markdownTable(rows)}\n\nEach method meta-trained ${steps} steps at each outer learning rate of the grid (${lrs.join(", ")}) on the source domains, with the preset's warmup, decay and clipping; the chosen rate has the lowest validation NLL per word at the last step (held-out test-split videos of the source domains; no target domain looked at), mean over seeds ${o.seeds.join(", ")}. Backend ${runInfo(command, o.seeds, result.configs).backend}; ${seconds} s; printed by \`${command}\`. Charts: [final validation NLL against the rate](lr-search.svg), [learning curves](curves.svg).\n`;
  const search = {
    grid: lrs,
    seeds: o.seeds,
    steps,
    criterion: "validation NLL per word at the last step, mean over seeds",
    choices,
    cells,
  };
  writeFileAtomic(join(dir, "search.json"), `${JSON.stringify(search, null, 1)}\n`);
  writeFileAtomic(join(dir, "lr-search.svg"), await lrSearchSvg(search));
  writeFileAtomic(join(dir, "table.md"), md);
  writeFileAtomic(
    join(dir, "table.json"),
    `${JSON.stringify({ rows, choices, command, seconds, jobs: result.jobs ?? 1, date: new Date().toISOString() }, null, 1)}\n`,
  );
  writeFileAtomic(join(dir, "curves.json"), `${JSON.stringify(result.curves)}\n`);
  const points = curvePoints(result.curves);
  if (points.length > 0) {
    writeFileAtomic(
      join(dir, "curves.svg"),
      await learningCurveSvg(points, "Learning curves of the outer learning-rate search"),
    );
  }
  out.print(md);
});
