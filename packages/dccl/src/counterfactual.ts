import { assertRank, assertShape, stopGradient, TavtError, tf } from "@tavt/core";
import { COUNTERFACTUALS, type Counterfactual } from "./config";

export interface CounterfactualConfig {
  /** The construction of A- (see `Counterfactual`); default "rank-inverse". */
  counterfactual?: Counterfactual;
}

/**
 * Section 3.3: the counterfactual weights w- [.., K] from w [.., K] (rows summing to 1), pairing weights and
 * prototypes the other way round; differentiable with respect to w (the permutation itself is piecewise constant).
 */
export function counterfactualWeights(weights: tf.Tensor, config: CounterfactualConfig = {}): tf.Tensor {
  const fn = "dccl.counterfactualWeights";
  const mode = config.counterfactual ?? "rank-inverse";
  if (!COUNTERFACTUALS.includes(mode)) {
    throw new TavtError(
      "BAD_CONFIG",
      `${fn}: counterfactual must be one of ${COUNTERFACTUALS.join(", ")}, got "${mode}"`,
      {
        field: "counterfactual",
      },
    );
  }
  if (weights.rank < 1) assertRank(fn, "weights", weights, 2);
  const shape = weights.shape;
  const k = shape[shape.length - 1]!;
  if (mode === "complement" && k < 2) {
    throw new TavtError("BAD_CONFIG", `${fn}: "complement" needs at least 2 prototypes, got K = ${k}`, {
      field: "counterfactual",
    });
  }
  return tf.tidy(() => {
    if (mode === "reverse") return tf.reverse(weights, -1); // w_{K-1-k}
    if (mode === "complement")
      return tf
        .scalar(1)
        .sub(weights)
        .div(k - 1); // (1 - w) / (K - 1)
    return rankInverse(weights.reshape([-1, k])).reshape(shape); // [N, K] -> [.., K]
  });
}

type CustomGradFn = Parameters<typeof tf.customGrad>[0];
type Save = (tensors: tf.Tensor[]) => void;

/**
 * w-_k = w_{pi(k)} with pi(k) = the prototype whose rank is K-1-rank(k), as P w with the one-hot permutation P
 * [N, K, K]. The permutation is built inside a custom gradient (sorting is piecewise constant, and tfjs cannot
 * back-propagate through integer indices): the gradient is dL/dw = P^T dL/dw-, itself differentiable (MAML).
 */
const rankInverse = tf.customGrad(((w: tf.Tensor, save: Save) => {
  const [n, k] = w.shape as [number, number];
  const idx = tf.topk(w, k, true).indices; // [N, K]: prototypes by decreasing weight (rank r -> prototype)
  const rankOf = tf.topk(idx.toFloat().neg(), k, true).indices; // [N, K]: prototype -> its rank
  const byRank = tf
    .oneHot(rankOf.reshape([-1]), k)
    .reshape([n, k, k])
    .toFloat(); // [N, K(proto), K(rank)]
  const reversed = tf
    .oneHot(tf.reverse(idx, -1).reshape([-1]), k)
    .reshape([n, k, k])
    .toFloat(); // [N, K(rank), K(proto)]
  const p = tf.matMul(byRank, reversed); // [N, K, K]: p[k, j] = 1 iff j = pi(k)
  save([p]);
  return {
    value: tf.matMul(p, w.reshape([n, k, 1])).reshape([n, k]), // [N, K]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.matMul(saved[0]!, dy.reshape([n, k, 1]), true, false).reshape([n, k]), // P^T dy [N, K]
  };
}) as unknown as CustomGradFn) as (w: tf.Tensor) => tf.Tensor;

/**
 * Section 3.3: the counterfactual audio A- = sum_k w-_k m_k from the reconstructor's weights [B, l, K] and the bank
 * M [K, da] (held constant) -> [B, l, da]. (A+ is A_rec = sum_k w_k m_k from @tavt/avmm.)
 */
export function counterfactualAudio(
  weights: tf.Tensor,
  bank: tf.Tensor,
  config: CounterfactualConfig = {},
): tf.Tensor3D {
  const fn = "dccl.counterfactualAudio";
  assertRank(fn, "weights", weights, 3);
  const [b, l, k] = weights.shape as [number, number, number];
  assertShape(fn, "bank (cluster centres M)", bank, [k, null]);
  const da = bank.shape[1]!;
  return tf.tidy(() => {
    const wNeg = counterfactualWeights(weights, config).reshape([b * l, k]); // [B*l, K]
    return tf.matMul(wNeg, stopGradient(bank.toFloat())).reshape([b, l, da]) as tf.Tensor3D; // [B, l, da]
  });
}
