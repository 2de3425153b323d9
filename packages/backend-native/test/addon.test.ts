import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAddonFrom } from "../src";

describe("loading the addon", () => {
  it("says why, path by path, when no candidate loads (never throws)", () => {
    const notElf = join(tmpdir(), `tavt-not-an-addon-${process.pid}.node`);
    writeFileSync(notElf, "not a shared object");
    const r = loadAddonFrom(["/nonexistent/tavt_native.node", notElf]);
    expect(r.ok).toBe(false);
    const reason = r.ok ? "" : r.reason;
    expect(reason).toContain("/nonexistent/tavt_native.node: not built");
    expect(reason).toContain(`${notElf}: `);
    expect(reason).toContain("libopenblas-dev");
  });
});
