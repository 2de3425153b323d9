import { defineConfig } from "vitest/config";

/** The docs tests read Markdown and run the built CLI; they import no @tavt package. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    poolOptions: { forks: { singleFork: true } },
  },
});
