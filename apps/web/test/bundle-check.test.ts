import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BROWSER_PACKAGES, bundleForBrowser, checkPackages } from "../../../tools/browser-bundle-check/check.mjs";

// tools/browser-bundle-check: every package a page imports bundles for a browser (esbuild, platform "browser")
// without a Node built-in; and the check does catch one (a package importing node:fs and os must fail).
const tmp = mkdtempSync(join(tmpdir(), "tavt-bundle-check-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("browser bundle check", () => {
  it("bundles core, metrics, avmm, encoder, decoder, dccl, model and datasets without Node built-ins", async () => {
    expect(BROWSER_PACKAGES).toEqual(["core", "metrics", "avmm", "encoder", "decoder", "dccl", "model", "datasets"]);
    const results = await checkPackages();
    for (const r of results) {
      expect({ name: r.name, nodeImports: r.nodeImports, errors: r.errors }).toEqual({
        name: r.name,
        nodeImports: [],
        errors: [],
      });
      expect(r.bytes).toBeGreaterThan(1000);
    }
  });

  it("fails a package that imports a Node built-in, naming the module and the importer", async () => {
    const dir = join(tmp, "node_modules", "@tavt", "bad");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "@tavt/bad", version: "0.0.0", type: "module", exports: { ".": "./index.js" } }),
    );
    writeFileSync(
      join(dir, "index.js"),
      'import { readFileSync } from "node:fs";\nimport os from "os";\nexport const f = () => readFileSync("x") + os.EOL;\n',
    );
    const r = await bundleForBrowser("@tavt/bad", dir);
    expect(r.ok).toBe(false);
    expect(r.nodeImports.map((i) => i.module).sort()).toEqual(["node:fs", "os"]);
    expect(r.nodeImports[0]!.importer).toMatch(/bad\/index\.js$/);
  });
});
