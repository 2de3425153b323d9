/**
 * TAVT-ts against PyTorch on the same training steps, in pairs taken back to back: `tavt bench speed --size S --json`
 * (the active backend: native where its addon is built) and `tools/speed/torch_speed.py --json` (TAVT written the way
 * a PyTorch user writes it, tools/speed/torch_fair.py; PyTorch's best thread count of `--torch-threads`). For each
 * pair and each of train, first-order and second-order MAML: both speeds in samples/s and their ratio (ours /
 * PyTorch's); then the median ratio over the pairs, and each side's peak resident memory. Needs Debian's
 * python3-torch. Writes pairs.json, table.json and table.md (a measurement: docs/results.md and the README copy it).
 *
 *   pnpm nx run benchmarks:speed-pairs [-- --pairs 3 --torch-threads 1,2 --out DIR]
 *   pnpm nx run benchmarks:speed-pairs:quick   (batch 4, one pair, one timed step: a smoke test)
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, errorLine, isUserError, markdownTable, usageError } from "@tavt/cli";
import { writeFileAtomic } from "@tavt/core";
import { scriptHelp } from "./lib/help";
import { outputPath } from "./lib/paths";

const REPO = resolve(import.meta.dirname, "..", "..");
const PYTHON = process.env.TAVT_PYTHON || "/usr/bin/python3";
const OPTIONS = [
  { flag: "--pairs <n>", text: "pairs to run (default 3; --quick: 1)" },
  { flag: "--torch-threads <a,b>", text: "PyTorch thread counts to try; its best counts (default 1,2)" },
  { flag: "--quick", text: "batch 4, one pair, one timed step (a smoke test, not a speed figure)" },
  { flag: "--out <dir>", text: "results directory (default results/speed-pairs at the repository root)" },
];

type Phase = "train" | "fomaml" | "maml2";
const PHASES: { key: Phase; title: string }[] = [
  { key: "train", title: "train" },
  { key: "fomaml", title: "first-order MAML" },
  { key: "maml2", title: "second-order MAML" },
];

interface Side {
  samples: Record<Phase, number>;
  peakRssMb: number;
  detail: unknown;
}

function runJson(cmd: string, args: string[]): unknown {
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${(r.stderr || r.stdout).trim().split("\n").at(-1)}`);
  }
  const text = r.stdout.trim();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${cmd} ${args.join(" ")}: its output is not JSON: ${text.slice(0, 200)}`);
  }
}

function ours(quick: boolean): Side {
  const args = [join(REPO, "packages/cli/dist/bin.js"), "bench", "speed", "--size", "S", "--json"];
  if (quick) args.push("--batch", "4", "--steps", "1", "--meta-steps", "1");
  const j = runJson(process.execPath, args) as Record<string, number | string | null>;
  const num = (k: string) => (typeof j[k] === "number" ? (j[k] as number) : Number.NaN);
  return {
    samples: {
      train: num("train_samples_per_s"),
      fomaml: num("fomaml_samples_per_s"),
      maml2: num("maml2_samples_per_s"),
    },
    peakRssMb: num("peak_rss_mb"),
    detail: j,
  };
}

function torch(quick: boolean, threads: string): Side {
  const args = [join(REPO, "tools/speed/torch_speed.py"), "--json", "--threads", threads];
  if (quick) args.push("--batch", "4", "--steps", "1", "--warmup", "1", "--meta-steps", "1");
  const j = runJson(PYTHON, args) as {
    best: Record<`${Phase}_samples_per_s`, number>;
    peak_rss_mb: number;
  };
  return {
    samples: {
      train: j.best.train_samples_per_s,
      fomaml: j.best.fomaml_samples_per_s,
      maml2: j.best.maml2_samples_per_s,
    },
    peakRssMb: j.peak_rss_mb,
    detail: j,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main() {
  const quickPreset = scriptHelp(
    "speed-pairs",
    "TAVT-ts against PyTorch (tools/speed/torch_fair.py) on the same training steps, in pairs run back to back.",
    OPTIONS,
  );
  let values: { pairs?: string; "torch-threads"?: string; quick?: boolean; out?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        pairs: { type: "string" },
        "torch-threads": { type: "string" },
        quick: { type: "boolean", default: false },
        out: { type: "string" },
        preset: { type: "string" },
      },
      strict: true,
    }));
  } catch (e) {
    throw usageError(`${(e as Error).message} (see --help)`);
  }
  const quick = Boolean(values.quick) || quickPreset;
  const pairs = values.pairs === undefined ? (quick ? 1 : 3) : Number(values.pairs);
  if (!Number.isInteger(pairs) || pairs < 1) throw usageError(`--pairs ${values.pairs}: expected a positive integer`);
  const threads = values["torch-threads"] ?? "1,2";
  if (!/^\d+(,\d+)*$/.test(threads)) throw usageError(`--torch-threads ${threads}: expected integers like 1,2`);
  if (!existsSync(join(REPO, "packages/cli/dist/bin.js"))) {
    throw usageError("speed-pairs: packages/cli/dist/bin.js is missing: run pnpm build first");
  }
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" });
  if (probe.status !== 0) {
    throw usageError(
      `speed-pairs: ${PYTHON} cannot import torch: install Debian's python3-torch (apt-get install python3-torch)`,
    );
  }
  const t0 = performance.now();
  const results: { pair: number; ours: Side; torch: Side }[] = [];
  for (let p = 1; p <= pairs; p++) {
    process.stderr.write(`pair ${p}/${pairs}: tavt bench speed ...\n`);
    const a = ours(quick);
    process.stderr.write(`pair ${p}/${pairs}: torch_speed.py ...\n`);
    const b = torch(quick, threads);
    results.push({ pair: p, ours: a, torch: b });
  }
  const backend = String((results[0]!.ours.detail as { backend?: string }).backend ?? "?");
  const rows: Record<string, string | number>[] = [];
  for (const r of results) {
    for (const [who, side] of [
      [`TAVT-ts, ${backend}`, r.ours],
      ["PyTorch (best thread count)", r.torch],
    ] as const) {
      const row: Record<string, string | number> = { pair: r.pair, "samples/s": who };
      for (const ph of PHASES) row[ph.title] = side.samples[ph.key].toFixed(2);
      row["peak RSS MB"] = side.peakRssMb;
      rows.push(row);
    }
    const ratio: Record<string, string | number> = { pair: r.pair, "samples/s": "ratio (ours / PyTorch)" };
    for (const ph of PHASES) ratio[ph.title] = (r.ours.samples[ph.key] / r.torch.samples[ph.key]).toFixed(2);
    ratio["peak RSS MB"] = (r.ours.peakRssMb / r.torch.peakRssMb).toFixed(2);
    rows.push(ratio);
  }
  const medianRow: Record<string, string | number> = { pair: "median", "samples/s": "ratio (ours / PyTorch)" };
  const medians: Record<string, number> = {};
  for (const ph of PHASES) {
    medians[ph.key] = median(results.map((r) => r.ours.samples[ph.key] / r.torch.samples[ph.key]));
    medianRow[ph.title] = medians[ph.key]!.toFixed(2);
  }
  medianRow["peak RSS MB"] = median(results.map((r) => r.ours.peakRssMb / r.torch.peakRssMb)).toFixed(2);
  rows.push(medianRow);
  const torchInfo = results[0]!.torch.detail as { torch: string; model: string; dropout: number };
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  const command = `pnpm nx run benchmarks:speed-pairs${quick ? ":quick" : ""}${values.pairs !== undefined ? ` -- --pairs ${pairs}` : ""}`;
  const params = Number((results[0]!.ours.detail as { params?: number }).params).toLocaleString("en-US");
  const size = `config S (${params} parameters), batch ${quick ? "4, one timed step: a smoke test, not a speed figure" : 32}`;
  const md = `## Training speed against PyTorch (TAVT written for speed)

${size}, float32; a meta-step counts 4 batches (2 tasks of one support and one query batch). Each pair is \`pnpm -s tavt bench speed --size S --json${quick ? " --batch 4 --steps 1 --meta-steps 1" : ""}\` (backend ${backend}) followed at once by \`/usr/bin/python3 tools/speed/torch_speed.py --json --threads ${threads}${quick ? " --batch 4 --steps 1 --warmup 1 --meta-steps 1" : ""}\` (PyTorch ${torchInfo.torch}, the ${torchInfo.model} model of tools/speed/torch_fair.py with dropout ${torchInfo.dropout}, at its best thread count among ${threads.split(",").join(", ")}). Ratios above 1 mean ours is faster; peak RSS is each process's peak resident memory over the whole run (second-order MAML is the largest).

${markdownTable(rows)}

${seconds} s; printed by \`${command}\` on ${new Date().toISOString().slice(0, 10)}.
`;
  const dir = values.out ? outputPath(values.out) : join(REPO, "results", "speed-pairs");
  writeFileAtomic(join(dir, "pairs.json"), `${JSON.stringify(results, null, 1)}\n`);
  writeFileAtomic(join(dir, "table.md"), md);
  writeFileAtomic(
    join(dir, "table.json"),
    `${JSON.stringify({ rows, medians, command, seconds, date: new Date().toISOString() }, null, 1)}\n`,
  );
  process.stdout.write(md);
}

main().catch((e) => {
  process.stderr.write(`${errorLine(e)}\n`);
  process.exitCode = isUserError(e) ? EXIT.user : EXIT.failure;
});
