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

const configs = [
  ...recompute,
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
