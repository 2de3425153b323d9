import { readdirSync, readFileSync } from "node:fs";
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

export default defineConfig({
  define: { __TAVT_CLI_VERSION__: JSON.stringify(cliVersion) },
  resolve: { alias },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [join(root, "tools", "test-utils", "yieldBetweenTests.ts")],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
  },
});
