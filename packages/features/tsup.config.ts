import { defineConfig } from "tsup";
import { base } from "../../tsup.base";

// onnxruntime-node is an optional dependency loaded on first use: never bundled.
export default defineConfig({ ...base, external: ["onnxruntime-node"] });
