#!/usr/bin/env node
// Does each browser-safe @tavt package bundle for a browser? esbuild bundles it (platform "browser": the package's
// "browser" export condition, the browser field of its dependencies) and every import of a Node built-in
// (fs, node:fs, path, worker_threads, ...) that nothing maps away is an error. Run it after building the packages:
//
//   node tools/browser-bundle-check/check.mjs            # the packages below
//   node tools/browser-bundle-check/check.mjs core model  # some of them
//
// Prints one line per package (OK with the bundle's size, or FAILED with each offending import and who imports it)
// and exits 1 if any failed. apps/web/test/bundle-check.test.ts runs it, with a package that must fail beside it.
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The packages a page may import (issue 27): @tavt/datasets through its browser entry. */
export const BROWSER_PACKAGES = ["core", "metrics", "avmm", "encoder", "decoder", "dccl", "model", "datasets"];

const SELF = Symbol("node-builtins");
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Bundle `name` (a package name, resolved from `dir` as a package's own code resolves itself) for a browser.
 * Returns the bundle's size and the Node built-ins it reached ({ module, importer }); `errors` holds esbuild's other
 * errors (an unresolvable import is a failure too).
 */
export async function bundleForBrowser(name, dir) {
  const nodeImports = [];
  const result = await build({
    stdin: {
      contents: `export * from ${JSON.stringify(name)};`,
      resolveDir: dir,
      loader: "js",
      sourcefile: "entry.js",
    },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    logLevel: "silent",
    minify: true,
    metafile: true,
    plugins: [
      {
        name: "node-builtins",
        setup(b) {
          // A dependency may map a built-in away for browsers ("browser": {"fs": false}): let esbuild resolve it
          // first, and count it only where nothing did.
          b.onResolve({ filter: /.*/ }, async (args) => {
            if (!BUILTINS.has(args.path) || args.pluginData === SELF) return undefined;
            const r = await b.resolve(args.path, {
              importer: args.importer,
              resolveDir: args.resolveDir,
              kind: args.kind,
              pluginData: SELF,
            });
            // Mapped to false by a browser field: an empty module, as esbuild itself would bundle it.
            if (r.errors.length === 0 && !r.external) return { path: args.path, namespace: "browser-disabled" };
            nodeImports.push({ module: args.path, importer: relative(ROOT, args.importer) || args.importer });
            return { path: args.path, external: true };
          });
          b.onLoad({ filter: /.*/, namespace: "browser-disabled" }, () => ({ contents: "module.exports = {};" }));
        },
      },
    ],
  }).catch((e) => ({ errors: e.errors ?? [{ text: String(e) }], outputFiles: [] }));
  const errors = (result.errors ?? []).map((e) => `${e.location ? `${e.location.file}: ` : ""}${e.text}`);
  const bytes = result.outputFiles?.reduce((n, f) => n + f.contents.length, 0) ?? 0;
  return { name, bytes, nodeImports, errors, ok: nodeImports.length === 0 && errors.length === 0 };
}

/** Check packages by folder name under packages/; a package bundles from its own folder (self-reference). */
export async function checkPackages(names = BROWSER_PACKAGES) {
  const out = [];
  for (const n of names) out.push(await bundleForBrowser(`@tavt/${n}`, join(ROOT, "packages", n)));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2);
  const results = await checkPackages(names.length ? names : BROWSER_PACKAGES);
  for (const r of results) {
    if (r.ok) {
      console.log(
        `browser-bundle-check: @tavt/${r.name.replace("@tavt/", "")}: OK (${(r.bytes / 1024).toFixed(0)} KiB minified, its dependencies included)`,
      );
      continue;
    }
    console.log(`browser-bundle-check: ${r.name}: FAILED`);
    for (const i of r.nodeImports) console.log(`  imports the Node built-in "${i.module}" (in ${i.importer})`);
    for (const e of r.errors) console.log(`  ${e}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(
    failed
      ? `browser-bundle-check: ${failed} of ${results.length} failed`
      : `browser-bundle-check: all ${results.length} bundle for a browser without Node built-ins`,
  );
  process.exitCode = failed ? 1 : 0;
}
