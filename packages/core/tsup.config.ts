import { defineConfig } from "tsup";
import { base, browserBuild } from "../../tsup.base";

export default defineConfig([
  {
    ...base,
    // tfjs-core's chained-op and gradient registrations exist only as ES modules that Node cannot load
    // (src/tfjsRegistrations.ts): bundle those files into both outputs; @tensorflow/tfjs-core itself stays external.
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    dts: {
      // The types of the chained methods (`x.add(y)`) are module augmentations in that file's declarations; the .d.ts
      // bundler drops side-effect imports, so dependents would see tensors without them. (@tensorflow/tfjs's own
      // index.d.ts imports it the same way.)
      banner: 'import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";',
    },
  },
  // In a browser bundle the app's bundler resolves tfjs-core's ES modules (registrations included) itself.
  browserBuild({ external: [/^@tensorflow\//] }),
]);
