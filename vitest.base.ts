import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = dirname(fileURLToPath(import.meta.url));

/** Tests import sibling packages from their sources, so no package needs another's build to be tested. */
const alias = Object.fromEntries(
  readdirSync(join(root, "packages")).map((dir) => [`@tavt/${dir}`, join(root, "packages", dir, "src", "index.ts")]),
);

// tsup defines the CLI's version at build time (packages/cli/tsup.config.ts); every test that imports the CLI's
// sources (the CLI's own, the benchmarks') needs the same constant.
const cliVersion = (
  JSON.parse(readFileSync(join(root, "packages", "cli", "package.json"), "utf8")) as { version: string }
).version;

/**
 * @tavt/core imports tfjs-core's chained-op and gradient registrations from their ES module files
 * (packages/core/src/tfjsRegistrations.ts). Node cannot load those, so vitest inlines them: about 500 small modules
 * that it would run again for every test file (2 s each on the 2-core machine). Its dependency optimizer bundles
 * them once per package (cached under node_modules/.vite) instead. Projects that do not depend on core itself reach
 * tfjs-core through it ("@tavt/core > ..."); the rest (@tavt/metrics) do not load tfjs at all.
 */
function tfjsRegistrations(project: string): string[] {
  const entries = [
    "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js",
    "@tensorflow/tfjs-core/dist/register_all_gradients.js",
  ];
  // Looked up on disk as vite does (require.resolve would also search the NODE_PATH that pnpm's bin shims set).
  const has = (name: string) => existsSync(join(project, "node_modules", name, "package.json"));
  if (has("@tensorflow/tfjs-core")) return entries;
  if (has("@tavt/core")) return entries.map((e) => `@tavt/core > ${e}`);
  return [];
}

export default defineConfig({
  define: { __TAVT_CLI_VERSION__: JSON.stringify(cliVersion) },
  resolve: { alias },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [join(root, "tools", "test-utils", "yieldBetweenTests.ts")],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    deps: { optimizer: { ssr: { enabled: true, include: tfjsRegistrations(process.cwd()) } } },
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
  },
});
