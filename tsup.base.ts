import type { Options } from "tsup";

/** The one tsup configuration every package extends: ESM + CJS + .d.ts from src/index.ts. */
export const base: Options = {
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  platform: "node",
  shims: true,
  splitting: false,
  treeshake: true,
};
