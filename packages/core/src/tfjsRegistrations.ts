/**
 * What the umbrella `@tensorflow/tfjs` registered on import and `@tensorflow/tfjs-core` alone does not: the chained
 * tensor methods (`x.add(y)`, `x.reshape(s)`, `x.matMul(w)`, ...) and the gradient of every kernel.
 *
 * In Node both `import` and `require` of `@tensorflow/tfjs-core` load its CommonJS bundle (`dist/tf-core.node.js`),
 * which registers neither; the two registration entry points exist only as ES modules in `dist/` whose
 * extension-less imports Node cannot load. So tsup bundles these two files (and the tfjs-core ops they call) into
 * core's `dist/` (`noExternal` in tsup.config.ts), and vitest's dependency optimizer bundles them for the tests
 * (vitest.base.ts). Either way they register against the one engine, kernel and gradient registry and Tensor class
 * that every copy of tfjs-core shares through the global object (`getGlobal` in tfjs-core's `global_util.js`,
 * `getGlobalTensorClass` in its `tensor.js`), as the umbrella's own Node bundle (`tf.node.js`) does.
 *
 * Import `@tensorflow/tfjs-core` itself first (src/tf.ts does), so that its CommonJS copy creates the engine and the
 * global Tensor class, and the methods land on the class `tf.Tensor` names.
 */
import "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
