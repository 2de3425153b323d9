/**
 * The differential kernel suite at any size: seeded random cases of every op family on each backend, compared with
 * tfjs's cpu backend (or a plain-JS reference where that backend is wrong), then the heap and pool stress. Prints the
 * counts per family and backend, every mismatch and corruption, and one JSON line; exits 1 on any mismatch.
 *
 *   pnpm nx run benchmarks:differential -- --seed 7 --cases 2000      (tsx src/differential.ts: native, wasm)
 *   pnpm nx run benchmarks:differential:quick                          (--quick: 40 cases per family)
 *   tsx src/differential.ts --seeds 1,2,3,4,5 --cases 400 --backends wasm
 */
import { initBackend, tf } from "@tavt/core";
import type { TF } from "../../tools/test-utils/differential";
import { runSuite, stress, summary } from "../../tools/test-utils/differential";
import { scriptHelp } from "./lib/help";

const args = process.argv.slice(2);
const quick = scriptHelp(
  "differential",
  "Seeded differential test of the native and wasm kernels against tfjs's cpu backend, with a heap and pool stress.",
  [
    { flag: "--seed <n>", text: "the seed (default 1)" },
    { flag: "--seeds <list>", text: "comma-separated seeds, run one after another (overrides --seed)" },
    { flag: "--cases <n>", text: "cases per op family (default 400; --quick: 40)" },
    { flag: "--families <list>", text: "comma-separated families (default all)" },
    {
      flag: "--backends <list>",
      text: "comma-separated backends (default native,wasm; skipped where one cannot load)",
    },
  ],
);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const seeds = (flag("--seeds") ?? flag("--seed") ?? "1").split(",").map(Number);
const cases = Number(flag("--cases") ?? (quick ? 40 : 400));
const families = flag("--families")?.split(",");
const backends = (flag("--backends") ?? "native,wasm").split(",");
if (seeds.some((s) => !Number.isInteger(s)) || !Number.isInteger(cases) || cases < 1) {
  process.stderr.write("differential: --seed/--seeds must be integers and --cases a positive integer\n");
  process.exit(2);
}

const env = { tf: tf as unknown as TF, use: async (b: string) => void (await initBackend({ backend: b })) };
const rows: Record<string, unknown>[] = [];
let failed = false;
for (const backend of backends) {
  try {
    await initBackend({ backend });
  } catch (e) {
    console.log(`${backend}: skipped (${String(e instanceof Error ? e.message : e).split("\n")[0]})`);
    continue;
  }
  for (const seed of seeds) {
    const t0 = performance.now();
    const report = await runSuite(env, backend, { seed, cases, ...(families ? { families } : {}) });
    const heap = await stress(env, backend, seed, quick ? 50 : 500);
    const seconds = (performance.now() - t0) / 1000;
    console.log(summary(report));
    console.log(`  heap/pool stress: ${heap.length} failures; ${seconds.toFixed(1)} s`);
    for (const m of report.mismatches) console.log(`  DIFF ${m.family}: ${m.label}: ${m.why}`);
    for (const c of [...report.corruption, ...heap]) console.log(`  CORRUPT ${c}`);
    if (report.mismatches.length || report.corruption.length || heap.length) failed = true;
    rows.push({
      backend,
      seed,
      cases,
      counts: report.counts,
      corruption: report.corruption.length + heap.length,
      seconds,
    });
  }
}
console.log(JSON.stringify({ benchmark: "differential", rows }));
process.exit(failed ? 1 : 0);
