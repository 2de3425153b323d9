import { adamInit, adamStep, disposeTree, type ParamTree, tf, valueAndGrad } from "@tavt/core";

/**
 * Multinomial logistic regression (a linear classifier) trained full-batch with Adam on standardised features;
 * returns its accuracy on the test rows. Weights start at zero, so the result is deterministic.
 */
export function logisticRegressionAccuracy(
  xTrain: Float32Array,
  yTrain: Int32Array,
  xTest: Float32Array,
  yTest: Int32Array,
  dim: number,
  classes: number,
  steps = 300,
): number {
  return tf.tidy(() => {
    const xtr = tf.tensor2d(xTrain, [yTrain.length, dim]);
    const mean = xtr.mean(0, true);
    const std = tf.moments(xtr, 0, true).variance.sqrt().add(1e-6);
    const norm = (x: tf.Tensor2D) => x.sub(mean).div(std) as tf.Tensor2D;
    const xn = norm(xtr);
    const yOne = tf.oneHot(tf.tensor1d(yTrain, "int32"), classes).toFloat();
    let params: ParamTree = { w: tf.zeros([dim, classes]), b: tf.zeros([classes]) };
    let state = adamInit(params);
    for (let s = 0; s < steps; s++) {
      const next = tf.tidy(() => {
        const { value, grads } = valueAndGrad((p) => {
          const logits = xn.matMul(p.w as tf.Tensor2D).add(p.b as tf.Tensor);
          return tf.losses.softmaxCrossEntropy(yOne, logits) as tf.Scalar;
        }, params);
        value.dispose();
        const r = adamStep(params, grads, state, { lr: 0.05 });
        return { params: r.params, m: r.state.m, v: r.state.v };
      });
      disposeTree(params);
      disposeTree(state.m);
      disposeTree(state.v);
      params = next.params as ParamTree;
      state = { step: state.step + 1, m: next.m as ParamTree, v: next.v as ParamTree };
    }
    const xte = norm(tf.tensor2d(xTest, [yTest.length, dim]));
    const pred = xte
      .matMul(params.w as tf.Tensor2D)
      .add(params.b as tf.Tensor)
      .argMax(1)
      .dataSync();
    let right = 0;
    for (let i = 0; i < yTest.length; i++) if (pred[i] === yTest[i]) right++;
    disposeTree(params);
    disposeTree(state.m);
    disposeTree(state.v);
    return right / yTest.length;
  });
}
