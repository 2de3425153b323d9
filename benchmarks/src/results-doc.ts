/**
 * docs/results.md, generated from the results the benchmarks saved (never typed by hand): every directory under
 * docs/results/ that holds a benchmark's table.json becomes a section with the run's command, date, wall time and
 * backend, its table (scores as mean ± std over seeds, caption diagnostics), the paired comparison
 * (comparison.json) in numbers and words, and links to its charts. The generated blocks of the README (the
 * cross-category headline, the speed comparison) and of docs/performance.md are rewritten from the same files.
 *
 *   pnpm nx run benchmarks:results-doc            # rewrite docs/results.md and the generated blocks
 *   pnpm nx run benchmarks:results-doc -- --check # exit 1 when any is stale
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { EXIT, errorLine, isUserError, markdownTable, PRESETS, usageError } from "@tavt/cli";
import { writeFileAtomic } from "@tavt/core";
import { describeComparison, formatDifference, type PairedDifference } from "./lib/compare";
import { METRIC_TITLES, type Metric } from "./lib/report";

type Row = Record<string, string | number>;

/** The parts of a saved run config this document reads. */
interface SavedConfig {
  data?: { source?: string; synthetic?: { seed?: number; events?: number } };
  model?: { dim?: number };
  meta?: { innerOptimizer?: string; innerLr?: number; outerLr?: number };
  train?: { steps?: number };
  adapt?: { steps?: number; optimizer?: string | null; lr?: number | null };
}

export interface SavedTable {
  title: string;
  columns: string[];
  rows: Row[];
  run: {
    command: string;
    seeds: number[];
    backend: string;
    startedAt: string;
    finishedAt?: string;
    seconds?: number;
    /** Runs that went at once, each in a worker process with one BLAS thread (absent or 1: one process). */
    jobs?: number;
    configs?: Record<string, SavedConfig>;
  };
}

/** The command as a user would type it: without `--out DIR`, which changes where results go, not what they are. */
export function displayCommand(command: string): string {
  return command.replace(/\s--out\s+[^\s`]+/g, "").replace(/\s--$/, "");
}

/** Which synthetic world a run used (generator seed and sound events), when it is not the default one. */
function worldOf(t: SavedTable): string {
  const first = Object.values(t.run.configs ?? {})[0];
  if (!first?.data || first.data.source !== "synthetic") return "";
  const g = first.data.synthetic ?? {};
  if (g.seed === undefined && g.events === undefined) return " (the default synthetic world)";
  const parts = [`generator seed ${g.seed ?? 0}`];
  if (g.events !== undefined) parts.push(`${g.events} sound events`);
  return ` (another synthetic world: ${parts.join(", ")})`;
}

interface SavedComparison {
  reference: string;
  method: string;
  differences: PairedDifference[];
}

/** Sections in this order first (the paper's order), then any other results directory by name. */
const ORDER = [
  "cross-category",
  "cross-category-world-b",
  "cross-category-world-c",
  "cross-category-100-steps",
  "lr-search",
  "cross-dataset",
  "ablations",
  "adaptation",
  "adaptation-select",
  "k-sweep",
  "k-sweep-events-10",
  "k-sweep-events-20",
  "low-resource",
  "hyper-params",
  "audio-removed",
  "second-order",
  "wma-batch",
  "speed-pairs",
];

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw usageError(`${file}: not readable JSON (${(e as Error).message})`, { file });
  }
}

const num = (v: string | number | undefined) => (typeof v === "number" ? v : Number(v));

/** The display table of a saved benchmark table: metrics as "mean ± std", then the caption diagnostics. */
export function displayRows(t: SavedTable): Row[] {
  const metrics = t.columns
    .filter((c) => c.endsWith("_mean"))
    .map((c) => c.slice(0, -"_mean".length))
    .filter((m): m is Metric => m in METRIC_TITLES);
  const at = t.columns.indexOf("method");
  const keys = t.columns.slice(0, at + 1);
  const seeds = t.run.seeds.length;
  return t.rows.map((r) => {
    const d: Row = {};
    for (const k of keys) d[k] = r[k]!;
    for (const m of metrics) {
      const mean = num(r[`${m}_mean`]).toFixed(2);
      d[METRIC_TITLES[m]] = seeds > 1 ? `${mean} ± ${num(r[`${m}_std`]).toFixed(2)}` : mean;
    }
    if (r.distinct_mean !== undefined) {
      d["distinct %"] = num(r.distinct_mean).toFixed(1);
      d.words = num(r.vocabulary_mean).toFixed(1);
      d["length (refs)"] = `${num(r.length_mean).toFixed(1)} (${num(r.refLength_mean).toFixed(1)})`;
    }
    return d;
  });
}

interface SavedCurve {
  method: string;
  seed: number;
  curve: { validation: { step: number; nll: number }[] };
}

/**
 * The learning curves in numbers: per method, the validation NLL per word (mean over seeds) at the start, two points
 * before the end, one point before and at the end, and how much it fell over the last interval, to tell a curve that
 * has flattened from one still falling.
 */
export function curveSummary(curves: readonly SavedCurve[]): string {
  const methods = [...new Set(curves.map((c) => c.method))];
  const rows: Row[] = [];
  for (const m of methods) {
    const runs = curves.filter((c) => c.method === m && c.curve.validation.length >= 3);
    if (runs.length === 0) continue;
    const at = (k: number) => runs.reduce((a, c) => a + c.curve.validation.at(k)!.nll, 0) / runs.length;
    const step = (k: number) => runs[0]!.curve.validation.at(k)!.step;
    const [first, before2, before, last] = [at(0), at(-3), at(-2), at(-1)];
    rows.push({
      method: m,
      [`NLL at step ${step(0)}`]: first.toFixed(3),
      [`step ${step(-3)}`]: before2.toFixed(3),
      [`step ${step(-2)}`]: before.toFixed(3),
      [`step ${step(-1)}`]: last.toFixed(3),
      "change over the last two intervals": `${((100 * (before - before2)) / before2).toFixed(1)}%, ${((100 * (last - before)) / before).toFixed(1)}%`,
    });
  }
  if (rows.length === 0) return "";
  return `Learning curves in numbers: validation NLL per word on held-out source-domain videos, mean over seeds (curves.json):\n\n${markdownTable(rows)}\n`;
}

function comparisonBlock(c: SavedComparison): string {
  const mean = c.differences.filter((d) => d.target.startsWith("mean"));
  if (mean.length === 0) return "";
  const rows = mean.map((d) => ({
    [`${c.reference} minus`]: d.method,
    ...(d.target === "mean" ? {} : { target: d.target }),
    metric: METRIC_TITLES[d.metric],
    "difference [95% interval]": formatDifference(d),
    verdict: d.verdict,
  }));
  return `Paired comparison, mean over targets (${c.method}):\n\n${markdownTable(rows)}\n\n${describeComparison(c.differences, METRIC_TITLES)}\n`;
}

function when(t: SavedTable): string {
  const end = t.run.finishedAt ?? t.run.startedAt;
  return `${end.slice(0, 10)} (finished ${end.slice(11, 16)} UTC)`;
}

/** What a run directory is, where its command alone does not say it plainly. */
const LABELS: Record<string, string> = {
  "cross-category-100-steps":
    ", at the previous default (100 meta-steps, 10 SGD adaptation steps at 0.01, outer learning rates searched at 100 steps), for comparison",
};

const ONE_THREAD = "Run with `TAVT_NATIVE_THREADS=1` (one BLAS thread each, two runs sharing the machine).";

/** How a published run was made, where its command line does not say. */
const NOTES: Record<string, string> = {
  "cross-category-100-steps": ONE_THREAD,
  "cross-category-world-b": ONE_THREAD,
  "cross-category-world-c": ONE_THREAD,
  "adaptation-select": `${ONE_THREAD} The rule, fixed before the run: the adaptation with the highest CIDEr, mean over the held-out source domains and seeds, becomes the candidate default (selection.json); the "mean" rows are that mean.`,
  "k-sweep-events-10": ONE_THREAD,
  "k-sweep-events-20": ONE_THREAD,
  "hyper-params": ONE_THREAD,
};

/** The settings compared with today's `default` preset: a name, and the setting as a run's config has it. */
const TRACKED: [string, (c: SavedConfig) => string | undefined][] = [
  ["width", (c) => (c.model?.dim === undefined ? undefined : String(c.model.dim))],
  ["meta-steps", (c) => (c.train?.steps === undefined ? undefined : String(c.train.steps))],
  ["outer learning rate", (c) => (c.meta?.outerLr === undefined ? undefined : String(c.meta.outerLr))],
  [
    "adaptation",
    (c) => {
      if (c.adapt?.steps === undefined) return undefined;
      const rule = (c.adapt.optimizer ?? c.meta?.innerOptimizer) === "adam" ? "Adam" : "SGD";
      return `${c.adapt.steps} ${rule} steps at ${c.adapt.lr ?? c.meta?.innerLr}`;
    },
  ],
];

/**
 * The settings of a `default`-preset run that today's `default` does not have ("100 meta-steps (now 200)"), where every
 * method of the run shared them; "" for other presets and for settings the run itself varies.
 */
export function changedDefaults(t: SavedTable): string {
  if (/--preset\s+(?!default\b)|:quick\b/.test(t.run.command)) return "";
  const configs = Object.values(t.run.configs ?? {});
  if (configs.length === 0) return "";
  const now = PRESETS.default as SavedConfig;
  const changed: string[] = [];
  for (const [name, get] of TRACKED) {
    const values = new Set(configs.map(get));
    const [value] = values;
    if (values.size !== 1 || value === undefined || value === get(now)) continue;
    const setting = name === "meta-steps" ? `${value} ${name}` : `${name} ${value}`;
    changed.push(`${setting} (now ${get(now)})`);
  }
  return changed.length ? `Differs from today's \`default\` preset in: ${changed.join(", ")}.` : "";
}

/**
 * How a published run was made, where its command line does not say: its worker processes, the default settings it
 * predates, then NOTES.
 */
export function noteOf(name: string, t: SavedTable): string {
  const jobs = t.run.jobs ?? 1;
  const parallel =
    jobs > 1 ? `${jobs} runs at once (\`--jobs\`), each in its own worker process with one BLAS thread.` : "";
  return [changedDefaults(t), parallel, NOTES[name] ?? ""].filter(Boolean).join(" ");
}

/** One results directory as a Markdown section (links relative to `docsDir`). */
export function section(dir: string, docsDir: string, heading = "##"): string {
  const t = readJson<SavedTable>(join(dir, "table.json"));
  if (!t.run) {
    // A measurement (second-order, wma-batch): its own table.md, written by the benchmark with its command.
    const md = displayCommand(readFileSync(join(dir, "table.md"), "utf8").trim())
      // its links to its own files (charts), made relative to the document it is copied into
      .replace(/\]\(([^/():]+)\)/g, (_, f: string) => `](${relative(docsDir, join(dir, f)).split("\\").join("/")})`);
    return `${md.replace(/^## /, `${heading} `)}\n`;
  }
  const rel = (f: string) => relative(docsDir, join(dir, f)).split("\\").join("/");
  const name = dir.split(/[\\/]/).at(-1) ?? "";
  const note = noteOf(name, t);
  const label = LABELS[name] ?? "";
  const parts = [`${heading} ${t.title}${worldOf(t)}${label}`, ""];
  const wall = t.run.seconds !== undefined ? `${t.run.seconds} s of wall time` : "wall time not recorded";
  parts.push(
    `\`${displayCommand(t.run.command)}\`: ${when(t)}, ${wall}, backend ${t.run.backend}, seeds ${t.run.seeds.join(", ")}.`,
    "",
    ...(note ? [note, ""] : []),
    markdownTable(displayRows(t)),
    "",
  );
  if (t.rows.some((r) => r.distinct_mean !== undefined)) {
    parts.push(
      "Scores x100, mean ± standard deviation over seeds. distinct %: distinct captions per test video; words: distinct words in the captions; length: mean caption length in words (the references' in brackets).",
      "",
    );
  }
  if (existsSync(join(dir, "comparison.json"))) {
    const block = comparisonBlock(readJson<SavedComparison>(join(dir, "comparison.json")));
    if (block) parts.push(block);
  }
  if (existsSync(join(dir, "curves.json"))) {
    const block = curveSummary(readJson<SavedCurve[]>(join(dir, "curves.json")));
    if (block) parts.push(block);
  }
  const charts = [
    ["table.svg", "scores"],
    ["curves.svg", "learning curves"],
    ["alpha-traces.svg", "alpha traces (Figure 11)"],
    ["hyper-params.svg", "hyper-parameter curves"],
  ].filter(([f]) => existsSync(join(dir, f!)));
  if (charts.length > 0) {
    parts.push(`Charts: ${charts.map(([f, name]) => `[${name}](${rel(f!)})`).join(", ")}.`, "");
  }
  return parts.join("\n");
}

/** The results directories under `root` in document order. */
export function resultDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  const names = readdirSync(root).filter((n) => existsSync(join(root, n, "table.json")));
  const rank = (n: string) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((n) => join(root, n));
}

/** The whole of docs/results.md. */
export function resultsDocument(repo: string): string {
  const docs = join(repo, "docs");
  const dirs = resultDirs(join(docs, "results"));
  const head = `# Results

Every table below is generated from the results a benchmark saved (\`docs/results/<run>/table.json\`,
\`comparison.json\`) by \`pnpm nx run benchmarks:results-doc\`; a test fails when this file or the README's result
block is stale. Each section names the command that produced it, when it finished, its wall time and the backend.
The numbers come from the embedded synthetic benchmark (see @tavt/datasets) unless the command names real data: they
are not comparable with the paper's MSR-VTT figures. Wall times were taken on a 2-core, 24 GiB machine (the kind CI
runs on) that other jobs shared at the time: they give the order of magnitude, not a speed figure (see
[performance.md](performance.md) for those).
`;
  if (dirs.length === 0) return `${head}\nNo results are published yet.\n`;
  return `${head}\n${dirs.map((d) => section(d, docs)).join("\n")}`;
}

/**
 * The README's headline: one run's command, date, wall time and backend, and its mean-over-targets rows only
 * (scores and distinct captions); the per-target table, the paired comparison and the curves stay in
 * docs/results.md, which it links to.
 */
export function headline(dir: string): string {
  const t = readJson<SavedTable>(join(dir, "table.json"));
  if (!t.run) return section(dir, dir, "###");
  const end = t.run.finishedAt ?? t.run.startedAt;
  const wall = t.run.seconds !== undefined ? `${t.run.seconds} s of wall time` : "wall time not recorded";
  const rows = displayRows(t)
    .filter((r) => r.target === "mean")
    .map((r) => {
      const { target: _target, words: _words, "length (refs)": _length, ...rest } = r;
      return rest;
    });
  const seeds = t.run.seeds.length;
  const name = dir.split(/[\\/]/).at(-1) ?? "";
  const note = noteOf(name, t);
  // which differences are established, in words (the numbers are in docs/results.md)
  const comparisonFile = join(dir, "comparison.json");
  const reading = existsSync(comparisonFile)
    ? describeComparison(readJson<SavedComparison>(comparisonFile).differences, METRIC_TITLES)
    : "";
  return [
    `\`${displayCommand(t.run.command)}\`: ${end.slice(0, 10)}, ${wall}, backend ${t.run.backend}, ${seeds} seed${seeds === 1 ? "" : "s"}${worldOf(t)}.${note ? ` ${note}` : ""}`,
    "",
    markdownTable(rows),
    "",
    `Scores x100, mean over the target domains${seeds > 1 ? ", ± standard deviation over seeds" : ""}; distinct %: distinct captions per test video. Per target, the paired comparison between methods and the learning curves: [docs/results.md](docs/results.md).`,
    "",
    ...(reading ? [reading, ""] : []),
  ].join("\n");
}

/**
 * The speed comparison against PyTorch (docs/results/speed-pairs, written by benchmarks:speed-pairs): its table.md
 * without its heading.
 */
export function speedBlock(repo: string): string {
  const file = join(repo, "docs", "results", "speed-pairs", "table.md");
  if (!existsSync(file)) return "No published speed comparison yet.\n";
  return `${displayCommand(readFileSync(file, "utf8"))
    .replace(/^## [^\n]*\n+/, "")
    .trim()}\n`;
}

/** Generated blocks: the text between `<!-- results:NAME (generated ...) -->` and `<!-- /results:NAME -->`. */
const BLOCKS: Record<string, (repo: string) => string> = {
  "cross-category": (repo) => {
    const dir = join(repo, "docs", "results", "cross-category");
    return existsSync(join(dir, "table.json")) ? headline(dir) : "No published run yet.\n";
  },
  "speed-pairs": speedBlock,
};

/** A document with every generated block it has (between its markers) rewritten from docs/results/. */
export function withGeneratedBlocks(repo: string, text: string): string {
  let out = text;
  for (const [name, body] of Object.entries(BLOCKS)) {
    const begin = `<!-- results:${name} (generated by benchmarks:results-doc; do not edit) -->`;
    const end = `<!-- /results:${name} -->`;
    const a = out.indexOf(begin);
    const b = out.indexOf(end);
    if (a < 0 || b < a) continue;
    out = `${out.slice(0, a + begin.length)}\n\n${body(repo)}\n${out.slice(b)}`;
  }
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(
      "Usage: pnpm nx run benchmarks:results-doc [-- --check]\n\nRewrite docs/results.md and the generated blocks of the README and docs/performance.md from docs/results/*/ (--check: exit 1 if stale).\n",
    );
    return;
  }
  const check = args.includes("--check");
  const unknown = args.filter((a) => a !== "--check");
  if (unknown.length) throw usageError(`results-doc: unknown option ${unknown[0]} (only --check)`);
  const repo = resolve(process.cwd(), "..");
  const withBlocks = (file: string): [string, string] => [file, withGeneratedBlocks(repo, readFileSync(file, "utf8"))];
  const targets: [string, string][] = [
    [join(repo, "docs", "results.md"), resultsDocument(repo)],
    withBlocks(join(repo, "README.md")),
    withBlocks(join(repo, "docs", "performance.md")),
  ];
  let stale = 0;
  for (const [file, text] of targets) {
    const now = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (now === text) continue;
    if (check) {
      stale++;
      process.stderr.write(`${relative(repo, file)} is stale: run pnpm nx run benchmarks:results-doc\n`);
    } else {
      writeFileAtomic(file, text);
      process.stderr.write(`wrote ${relative(repo, file)}\n`);
    }
  }
  if (stale) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]).endsWith("results-doc.ts")) {
  main().catch((e) => {
    process.stderr.write(`${errorLine(e)}\n`);
    process.exitCode = isUserError(e) ? EXIT.user : EXIT.failure;
  });
}
