import { resolve } from "node:path";
import { EXIT, errorLine, isUserError, Output } from "@tavt/cli";
import { type BenchOptions, benchOptions } from "./options";

/** Where a benchmark writes: results/<benchmark>/ at the repository root (or --out). */
export function resultsDir(o: BenchOptions, benchmark: string): string {
  return resolve(o.out ?? resolve(process.cwd(), "..", "results", benchmark));
}

/** Run a benchmark's body with the CLI's error handling: one line and exit 2 for user errors, 1 otherwise. */
export async function benchmarkMain(body: (o: BenchOptions, out: Output) => Promise<void>) {
  try {
    const o = benchOptions();
    const out = new Output({ quiet: o.quiet });
    await body(o, out);
  } catch (e) {
    process.stderr.write(`${errorLine(e)}\n`);
    if (!isUserError(e) && process.env.TAVT_DEBUG) process.stderr.write(`${(e as Error).stack ?? ""}\n`);
    const badArgs = String((e as { code?: unknown }).code ?? "").startsWith("ERR_PARSE_ARGS");
    process.exitCode = isUserError(e) || badArgs ? EXIT.user : EXIT.failure;
  }
}

/** The command line that ran this benchmark (recorded with the results). */
export function commandLine(benchmark: string, o: BenchOptions): string {
  return `pnpm nx run benchmarks:${benchmark}${o.quick ? ":quick" : ""}${
    process.argv.length > 2
      ? ` -- ${process.argv
          .slice(2)
          .filter((a) => a !== "--quick")
          .join(" ")}`
      : ""
  }`.trim();
}
