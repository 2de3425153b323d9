import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Options } from "tsup";

/** The one tsup configuration every package extends: ESM + CJS + .d.ts from src/index.ts. */
export const base: Options = {
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  // dist/browser is the browser build's (browserBuild below), written by a config that runs beside this one.
  clean: ["!browser/**"],
  target: "node20",
  platform: "node",
  shims: true,
  splitting: false,
  treeshake: true,
};

/**
 * Swaps a relative import of `./x` for `./x.browser.ts` where that file exists beside `x.ts`: the browser twin of a
 * module that needs Node (file I/O, worker threads, createRequire), with the same exports.
 */
const browserTwins = {
  name: "tavt-browser-twins",
  setup(build: {
    onResolve(
      o: { filter: RegExp },
      cb: (a: { path: string; resolveDir: string; importer: string }) => { path: string } | undefined,
    ): void;
  }) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path).replace(/\.(ts|js)$/, "");
      const twin = `${target}.browser.ts`;
      if (existsSync(twin) && resolve(args.importer) !== twin && existsSync(`${target}.ts`)) return { path: twin };
      return undefined;
    });
  },
};

/**
 * The browser build (`dist/browser/index.js`, ES module, for bundlers: package.json's `"browser"` export condition):
 * the same sources with each Node-only module swapped for its `.browser.ts` twin, every dependency left to the
 * app's bundler, no Node shims. Types come from the Node build's .d.ts.
 */
export function browserBuild(options: Options = {}): Options {
  return {
    entry: { index: "src/index.ts" },
    format: ["esm"],
    outDir: "dist/browser",
    dts: false,
    sourcemap: true,
    clean: false,
    target: "es2022",
    platform: "browser",
    shims: false,
    splitting: false,
    treeshake: true,
    esbuildPlugins: [browserTwins as NonNullable<Options["esbuildPlugins"]>[number]],
    ...options,
  };
}
