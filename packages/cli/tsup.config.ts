import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";
import { base } from "../../tsup.base";

// `tavt --version` prints the version of the package that was built (changesets rewrites package.json on release).
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  ...base,
  entry: ["src/index.ts", "src/bin.ts"],
  define: { __TAVT_CLI_VERSION__: JSON.stringify(version) },
});
