import { type FlatParams, leanGradients, TavtError, tf } from "@tavt/core";

/**
 * The value of `loss` and its gradient with respect to the leaves of `xs` (a flat map, names kept).
 * Like @tavt/core `valueAndGrad` (and nestable in the same way, which MAML's second order relies on), except that a
 * leaf the loss does not reach gets a zero gradient instead of an error: a caption-only loss leaves AVMM's
 * reconstructor unreached, and a meta-learner cannot know that in advance. Back-propagation is `leanGradients`
 * (same gradients as tfjs' own, less memory held while it runs).
 *
 * @param loss - Maps the flat parameters to a scalar loss.
 * @param xs - The leaves to differentiate with respect to, by dotted name.
 * @returns The loss and one gradient per name of `xs` (zeros where the loss does not reach it).
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when `loss` does not return a scalar.
 */
export function valueAndGradFlat(
  loss: (xs: FlatParams) => tf.Scalar,
  xs: FlatParams,
): { value: tf.Scalar; grads: FlatParams } {
  const names = Object.keys(xs);
  const ts = names.map((n) => xs[n]!);
  if (ts.length === 0) return { value: loss(xs), grads: {} };
  const { value, grads } = leanGradients(() => {
    const y = loss(xs);
    if (y.rank !== 0) {
      throw new TavtError(
        "BAD_INPUT",
        `meta: the loss function must return a scalar, got shape [${y.shape.join(", ")}]`,
      );
    }
    return y;
  }, ts);
  const out: FlatParams = {};
  names.forEach((n, i) => {
    out[n] = grads[i] ?? tf.zerosLike(ts[i]!);
  });
  return { value: value as tf.Scalar, grads: out };
}
