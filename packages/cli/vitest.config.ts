import { readFileSync } from "node:fs";
import { mergeConfig } from "vitest/config";
import base from "../../vitest.base";

// The same build-time constant tsup defines (tsup.config.ts), so tests of the sources see the package's version.
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default mergeConfig(base, { define: { __TAVT_CLI_VERSION__: JSON.stringify(version) } });
