/**
 * Redraw a benchmark's charts from the results it saved, without running it again: table.svg from table.json (the
 * same chart the benchmark draws) and alpha-traces.svg from alpha-traces.json (Figure 11), in the results directory.
 *
 *   pnpm -C benchmarks exec tsx src/redraw.ts ../results/cross-category
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type AlphaTrace,
  alphaTraceSvg,
  barChartSvg,
  EXIT,
  errorLine,
  isUserError,
  learningCurveSvg,
  usageError,
} from "@tavt/cli";
import { writeFileAtomic } from "@tavt/core";
import { lrSearchSvg, type SavedSearch } from "./lib/lr-chart";
import { curvePoints, METRIC_TITLES, type Metric, tableChart } from "./lib/report";
import type { CurveRecord } from "./lib/transfer";

const USAGE = `usage: tsx src/redraw.ts RESULTS_DIR

Redraws RESULTS_DIR/table.svg from RESULTS_DIR/table.json, and alpha-traces.svg and curves.svg from
alpha-traces.json and curves.json (when present), as the benchmark that wrote them would.`;

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw usageError(`${file}: not readable JSON (${(e as Error).message})`, { file });
  }
}

async function redraw(dir: string): Promise<void> {
  const searchFile = join(dir, "search.json");
  if (existsSync(searchFile)) {
    // the learning-rate search: its chart and its curves (its table has no score columns)
    writeFileAtomic(join(dir, "lr-search.svg"), await lrSearchSvg(readJson<SavedSearch>(searchFile)));
    process.stderr.write(`wrote ${join(dir, "lr-search.svg")}\n`);
    const points = curvePoints(readJson<CurveRecord[]>(join(dir, "curves.json")));
    writeFileAtomic(
      join(dir, "curves.svg"),
      await learningCurveSvg(points, "Learning curves of the outer learning-rate search"),
    );
    process.stderr.write(`wrote ${join(dir, "curves.svg")}\n`);
    return;
  }
  const tableFile = join(dir, "table.json");
  if (!existsSync(tableFile)) throw usageError(`${tableFile}: not found (is ${dir} a benchmark's results?)`);
  const table = readJson<{ title: string; columns: string[]; rows: Record<string, string | number>[] }>(tableFile);
  const metrics = table.columns
    .filter((c) => c.endsWith("_mean"))
    .map((c) => c.slice(0, -"_mean".length))
    .filter((m): m is Metric => m in METRIC_TITLES);
  const at = table.columns.indexOf("method");
  if (metrics.length === 0 || at < 0) {
    throw usageError(`${tableFile}: expected the columns method and <metric>_mean of a benchmark table`);
  }
  const { chart, chartRows } = tableChart(table.rows, metrics, table.columns.slice(0, at));
  writeFileAtomic(join(dir, "table.svg"), await barChartSvg(chartRows, { ...chart, title: table.title }));
  process.stderr.write(`wrote ${join(dir, "table.svg")}\n`);
  const tracesFile = join(dir, "alpha-traces.json");
  if (existsSync(tracesFile)) {
    writeFileAtomic(join(dir, "alpha-traces.svg"), await alphaTraceSvg(readJson<AlphaTrace[]>(tracesFile)));
    process.stderr.write(`wrote ${join(dir, "alpha-traces.svg")}\n`);
  }
  const curvesFile = join(dir, "curves.json");
  if (existsSync(curvesFile)) {
    const points = curvePoints(readJson<CurveRecord[]>(curvesFile));
    writeFileAtomic(join(dir, "curves.svg"), await learningCurveSvg(points, `Learning curves: ${table.title}`));
    process.stderr.write(`wrote ${join(dir, "curves.svg")}\n`);
  }
}

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write(`${USAGE}\n`);
} else {
  try {
    if (args.length !== 1 || args[0]!.startsWith("-")) throw usageError(`expected one results directory\n${USAGE}`);
    await redraw(args[0]!);
  } catch (e) {
    process.stderr.write(`${errorLine(e)}\n`);
    process.exitCode = isUserError(e) ? EXIT.user : EXIT.failure;
  }
}
