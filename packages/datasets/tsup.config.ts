import { defineConfig } from "tsup";
import { base, browserBuild } from "../../tsup.base";

// The browser build starts from src/index.browser.ts: the modules that need no file system.
export default defineConfig([{ ...base }, browserBuild({ entry: { index: "src/index.browser.ts" } })]);
