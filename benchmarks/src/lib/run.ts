import { resolve } from "node:path";
import { EXIT, errorLine, isUserError, Output } from "@tavt/cli";
import { type BenchOptions, benchOptions, type ExtraOption, usage } from "./options";

/** Where a benchmark writes: results/<benchmark>/ at the repository root (or --out). */
export function resultsDir(o: BenchOptions, benchmark: string): string {
  return resolve(o.out ?? resolve(process.cwd(), "..", "results", benchmark));
}

/** What `--help` says about a benchmark. */
export interface BenchmarkInfo {
  name: string;
  description: string;
  /** Options beyond the common ones. */
  extra?: readonly ExtraOption[];
}

/**
 * Run a benchmark's body with the CLI's error handling: `--help` prints the options and exits 0; user errors
 * (bad options, bad config, bad files) print one line and exit 2; anything else exits 1.
 */
export async function benchmarkMain(info: BenchmarkInfo, body: (o: BenchOptions, out: Output) => Promise<void>) {
  try {
    const o = benchOptions();
    if (o.help) {
      process.stdout.write(usage(info.name, info.description, info.extra));
      return;
    }
    const out = new Output({ quiet: o.quiet });
    await body(o, out);
  } catch (e) {
    process.stderr.write(`${errorLine(e)}\n`);
    if (!isUserError(e) && process.env.TAVT_DEBUG) process.stderr.write(`${(e as Error).stack ?? ""}\n`);
    process.exitCode = isUserError(e) ? EXIT.user : EXIT.failure;
  }
}

/**
 * The command line that ran this benchmark (recorded with the results): the nx target and the options after `--`,
 * less the flags the target itself passes (`--quick` of `:quick`, `--hold-out` of `adaptation-select`).
 */
export function commandLine(benchmark: string, o: BenchOptions): string {
  const implied = benchmark === "adaptation-select" ? ["--quick", "--hold-out"] : ["--quick"];
  const rest = process.argv.slice(2).filter((a) => !implied.includes(a));
  return `pnpm nx run benchmarks:${benchmark}${o.quick ? ":quick" : ""}${rest.length ? ` -- ${rest.join(" ")}` : ""}`;
}
