import { afterAll, describe, expect, it } from "vitest";
import { runSuite, stress, summary, type TF } from "../../../tools/test-utils/differential";
import { initBackend, tf } from "../src";

/**
 * The differential kernel suite (tools/test-utils/differential) at CI size, on the backend under test: TAVT_BACKEND
 * (CI runs the suite on native, then on wasm), native where unset. Every op family is compared with tfjs's cpu
 * backend (plain JS for matrix products) on seeded random cases with NaN, ±Infinity, -0 and empty dimensions, then
 * a heap and pool stress checks that kept tensors never change. A longer run with any seed:
 * `pnpm nx run benchmarks:differential -- --seed 7 --cases 2000`.
 */
const SEED = 2026;
const CASES = 300;
const backend = (process.env.TAVT_BACKEND ?? "native").toLowerCase();

let reason = "";
try {
  await initBackend({ backend });
} catch (e) {
  reason = String(e instanceof Error ? e.message : e).split("\n")[0]!;
}

const env = { tf: tf as unknown as TF, use: async (b: string) => void (await initBackend({ backend: b })) };

describe.skipIf(backend === "cpu" || reason !== "")(
  `differential suite on ${backend}${reason ? ` (skipped: ${reason})` : ""}`,
  () => {
    afterAll(async () => {
      await initBackend({ backend: "cpu" });
    });

    it(`agrees with the reference on ${CASES} cases of every op family (seed ${SEED})`, async () => {
      const report = await runSuite(env, backend, { seed: SEED, cases: CASES });
      const text = summary(report);
      const detail = [...report.mismatches.map((m) => `${m.family}: ${m.label}: ${m.why}`), ...report.corruption];
      expect(detail, text).toEqual([]);
      expect(report.counts.length).toBe(12);
    });

    it("keeps every kept tensor and sentinel intact through allocate-and-dispose chains", async () => {
      expect(await stress(env, backend, SEED, 300)).toEqual([]);
    });
  },
);
