import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's own gradients first: the configs below replace some of them.
import "./tfjsRegistrations";

/**
 * Gradients that stay differentiable, so nested `valueAndGrad` (MAML's second order) is exact.
 *
 * tfjs 4.22 saves an op's *output* for its gradient as a clone taped before the op itself, so a gradient built
 * from that output (tanh, sigmoid, exp, softmax, elu) is cut off from the input one order up: the second-order
 * terms through these ops were silently dropped (or "Cannot compute gradient" thrown). These configs save the
 * input instead and recompute the output (same first-order values). Comparisons get zero gradients (they are
 * piecewise constant) so the gradients of max/min, which build masks with them, can be differentiated again.
 */
const recompute: tf.GradConfig[] = [
  {
    kernelName: "Tanh",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(x!)))) }),
  },
  {
    kernelName: "Sigmoid",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({
      x: () => {
        const y = tf.sigmoid(x!);
        return tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(1, y)));
      },
    }),
  },
  {
    kernelName: "Exp",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.exp(x!)) }),
  },
  {
    kernelName: "Softmax",
    inputsToSave: ["logits"],
    gradFunc: (dy, [logits], attrs) => ({
      logits: () => {
        const dim = (attrs as { dim: number }).dim;
        const y = tf.softmax(logits!, dim);
        const dyTimesY = tf.mul(dy as tf.Tensor, y);
        return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
      },
    }),
  },
  {
    kernelName: "Elu",
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({
      x: () => tf.where(tf.greater(x!, 0), dy as tf.Tensor, tf.mul(dy as tf.Tensor, tf.exp(x!))),
    }),
  },
];

const zeroGrad = (kernelName: string, inputs: string[]): tf.GradConfig => ({
  kernelName,
  inputsToSave: inputs,
  gradFunc: (_dy, saved) => Object.fromEntries(inputs.map((n, i) => [n, () => tf.zerosLike(saved[i]!)])),
});

/** The reduced axes of `x` set to 1: the shape that `dy` of a sum or mean over `axis` broadcasts from. */
function keptDimsShape(x: tf.Tensor, axis: unknown): number[] {
  const shape = x.shape.slice();
  for (const a of tf.util.parseAxisParam(axis as number | number[], x.shape)) shape[a] = 1;
  return shape;
}

/**
 * Sum and Mean with the same values as tfjs-core's gradients, in fewer passes: the ones they broadcast against are a
 * Fill (one typed-array fill) instead of a JS loop, and Mean divides the small `dy` by the count before broadcasting
 * instead of the full-size product after it (dy / n * 1 is dy * 1 / n exactly). Both stay differentiable.
 */
const broadcastBack: tf.GradConfig[] = [
  {
    kernelName: "Sum",
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => ({
      x: () => tf.mul(tf.reshape(dy as tf.Tensor, keptDimsShape(x!, attrs.axis)), tf.fill(x!.shape, 1, "float32")),
    }),
  },
  {
    kernelName: "Mean",
    inputsToSave: ["x"],
    gradFunc: (dy, [x], attrs) => ({
      x: () => {
        const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x!.shape);
        const n = axes.reduce((p, a) => p * x!.shape[a]!, 1); // the count each mean divides by
        const kept = keptDimsShape(x!, attrs.axis);
        return tf.mul(tf.div(tf.reshape(dy as tf.Tensor, kept), n), tf.fill(x!.shape, 1, "float32"));
      },
    }),
  },
];

const configs = [
  ...recompute,
  ...broadcastBack,
  zeroGrad("Equal", ["a", "b"]),
  zeroGrad("NotEqual", ["a", "b"]),
  zeroGrad("Greater", ["a", "b"]),
  zeroGrad("Less", ["a", "b"]),
  zeroGrad("LessEqual", ["a", "b"]),
];

/**
 * Register the configs above (over tfjs-core's). Done on import, and again after loading a package that registers
 * tfjs-core's gradients anew: `@tensorflow/tfjs-node(-gpu)` loads the umbrella `@tensorflow/tfjs`, whose import
 * registers every gradient of tfjs-core into the shared registry, these kernels' included.
 */
export function registerSecondOrderGradients(): void {
  for (const config of configs) tf.registerGradient(config);
}

registerSecondOrderGradients();
