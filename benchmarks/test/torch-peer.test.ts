import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PYTHON, pythonWith } from "../../tools/test-utils/python";

/*
 * The PyTorch side of the speed comparison (tools/speed/torch_fair.py, TAVT written for speed) must compute the golden
 * reference's loss and gradients: tools/speed/check_fair.py compares them in float64 as torch.allclose does. PyTorch
 * is optional (it only times the peer and regenerates fixtures), so without it these tests skip, in CI too.
 */
const check = fileURLToPath(new URL("../../tools/speed/check_fair.py", import.meta.url));
const torch = pythonWith("torch");
const run = (...args: string[]) => spawnSync(PYTHON, [check, ...args], { encoding: "utf8", timeout: 120_000 });

describe("the fair PyTorch model equals the golden reference", () => {
  const named = (name: string) => (torch.ok ? name : `${name} - SKIPPED: ${torch.reason}`);

  it.skipIf(!torch.ok)(
    named("loss parts and every gradient agree in float64 (rtol 1e-9, atol 1e-12)"),
    () => {
      const r = run();
      expect(r.stderr).toBe("");
      const out = JSON.parse(r.stdout) as {
        ok: boolean;
        cases: Record<string, { mismatches: string[]; params: number; allclose_ratio: number }>;
      };
      for (const [name, c] of Object.entries(out.cases)) {
        expect(c.mismatches, name).toEqual([]);
        expect(c.params, name).toBeGreaterThan(100);
        expect(c.allclose_ratio, name).toBeLessThanOrEqual(1);
      }
      expect(out.ok).toBe(true);
      expect(r.status).toBe(0);
    },
    150_000,
  );

  it.skipIf(!torch.ok)(
    named("fails when one weight of the fast model is off by one part in a million"),
    () => {
      const r = run("--perturb");
      expect(r.status).toBe(1);
      const out = JSON.parse(r.stdout) as { ok: boolean; cases: Record<string, { mismatches: string[] }> };
      expect(out.ok).toBe(false);
      for (const c of Object.values(out.cases)) expect(c.mismatches.length).toBeGreaterThan(0);
    },
    150_000,
  );
});

describe("benchmarks:speed-pairs", () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
  const script = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(tsx, ["src/speed-pairs.ts", ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, ...env },
    });

  it("without PyTorch exits 2 with one line that says what to install", () => {
    const r = script(["--quick"], { TAVT_PYTHON: "/nonexistent/python3" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("python3-torch");
  });

  it("rejects --pairs 0 with exit 2", () => {
    const r = script(["--pairs", "0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--pairs 0");
  });
});
