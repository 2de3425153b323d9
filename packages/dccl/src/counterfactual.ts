import { assertRank, assertShape, TavtError, tf } from "@tavt/core";
import { COUNTERFACTUALS, type Counterfactual } from "./config";
import { stopGradient } from "./stopGradient";

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
    const w = weights.reshape([-1, k]); // [N, K]
    const n = w.shape[0]!;
    const idx = tf.topk(w, k, true).indices; // [N, K]: prototypes by decreasing weight (rank r -> prototype)
    const rank = tf.topk(idx.toFloat().neg(), k, true).indices; // [N, K]: prototype -> its rank
    const revIdx = tf.reverse(idx, -1); // [N, K]: rank r -> the prototype ranked K-1-r
    const perm = tf.gather(revIdx, rank, 1, 1); // [N, K]: pi(k) = idx[K-1-rank(k)]
    const p = tf
      .oneHot(perm.reshape([-1]), k)
      .reshape([n, k, k])
      .toFloat(); // [N, K, K]
    const out = tf.matMul(p, w.reshape([n, k, 1])); // [N, K, 1]: w-_k = w_{pi(k)}
    return out.reshape(shape);
  });
}

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
