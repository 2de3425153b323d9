import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = dirname(fileURLToPath(import.meta.url));

/** Tests import sibling packages from their sources, so no package needs another's build to be tested. */
const alias = Object.fromEntries(
  readdirSync(join(root, "packages")).map((dir) => [`@tavt/${dir}`, join(root, "packages", dir, "src", "index.ts")]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
  },
});
