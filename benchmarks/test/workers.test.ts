import { isUserError, Output } from "@tavt/cli";
import { describe, expect, it } from "vitest";
import { benchOptions, defaultJobs } from "../src/lib/options";
import { CROSS_CATEGORY_VARIANTS } from "../src/lib/settings";
import { runTransfer, type TransferSpec } from "../src/lib/transfer";
import { workerEnv } from "../src/lib/workers";

const quiet = new Output({ quiet: true });

/** Two seeds of two methods at the quick size, on two targets: four jobs of a few seconds each. */
const spec = (jobs: number, sets: string[] = []): TransferSpec => ({
  preset: "quick",
  sets: ["data.targetDomains=[Music,Kids]", "eval.limit=8", ...sets],
  variants: CROSS_CATEGORY_VARIANTS.filter((v) => v.name.startsWith("TAVT")),
  seeds: [0, 1],
  jobs,
  out: quiet,
});

describe("--jobs: runs at once in worker processes", () => {
  it("gives the same rows, curves and captions in worker processes as in one process", async () => {
    const one = await runTransfer(spec(1));
    const two = await runTransfer(spec(2));
    expect(one.jobs).toBe(1);
    expect(two.jobs).toBe(2);
    const scores = (r: typeof one) => r.rows.map(({ trainSeconds: _, ...rest }) => rest);
    expect(scores(two)).toEqual(scores(one));
    expect(scores(one).map((r) => `${r.seed} ${r.method} ${r.target}`)).toEqual([
      "0 TAVT (MAML) Music",
      "0 TAVT (MAML) Kids",
      "0 TAVT (joint, no MAML) Music",
      "0 TAVT (joint, no MAML) Kids",
      "1 TAVT (MAML) Music",
      "1 TAVT (MAML) Kids",
      "1 TAVT (joint, no MAML) Music",
      "1 TAVT (joint, no MAML) Kids",
    ]);
    expect(two.curves).toEqual(one.curves);
    expect(two.captions).toEqual(one.captions);
    expect(two.configs).toEqual(one.configs);
  }, 180_000);

  it("stops with the worker's user error (exit code 2), naming what was wrong", async () => {
    // the data are opened in the workers: resolving the config in this process does not look at the files
    const missing = "/nonexistent/tavt-annotations";
    const sets = ["data.source=msrvtt", `data.annotations=${missing}`, "data.features.visual=/nonexistent/v.npz"];
    const run = runTransfer(spec(2, sets));
    const e = await run.then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(Error);
    expect(isUserError(e)).toBe(true);
    expect((e as Error).message).toMatch(/\/nonexistent\//);
  }, 60_000);

  it("gives each worker one BLAS thread unless the caller chose a count", () => {
    expect(workerEnv({}, 1, false)).toMatchObject({ TAVT_NATIVE_THREADS: "1", TAVT_WASM_THREADS: "1" });
    expect(workerEnv({ TAVT_NATIVE_THREADS: "2" }, 0, true)).toMatchObject({
      TAVT_NATIVE_THREADS: "2",
      TAVT_BENCH_WORKER: "0",
      TAVT_BENCH_QUIET: "1",
    });
  });

  it("defaults to one run per core, at most one per 2 GiB, at least one; --jobs must be a positive integer", () => {
    expect(defaultJobs(2, 24 * 2 ** 30)).toBe(2);
    expect(defaultJobs(64, 16 * 2 ** 30)).toBe(8);
    expect(defaultJobs(4, 2 ** 30)).toBe(1);
    expect(benchOptions(["--jobs", "3"]).jobs).toBe(3);
    expect(() => benchOptions(["--jobs", "0"])).toThrow(/--jobs: "0" is not a positive integer/);
    expect(() => benchOptions(["--jobs", "two"])).toThrow(/--jobs/);
  });
});
