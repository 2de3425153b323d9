import { defineConfig } from "tsup";
import { base, browserBuild } from "../../tsup.base";

export default defineConfig([{ ...base }, browserBuild()]);
