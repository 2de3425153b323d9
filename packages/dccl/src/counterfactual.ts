import { assertRank, assertShape, stopGradient, TavtError, tf } from "@tavt/core";
import { COUNTERFACTUALS, type Counterfactual } from "./config";

/** How A- is built: which construction. */
export interface CounterfactualConfig {
  /** The construction of A- (see `Counterfactual`); default "rank-inverse". */
  counterfactual?: Counterfactual;
}

/**
 * Section 3.3: the counterfactual weights w- [.., K] from w [.., K] (rows summing to 1), pairing weights and
 * prototypes the other way round; differentiable with respect to w (the permutation itself is piecewise constant).
 *
 * @param weights - w `[.., K]` (rows summing to 1).
 * @param config - Which construction (`rank-inverse` by default).
 * @returns w- of the same shape `[.., K]`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for an unknown construction or `complement` with K < 2,
 *   `SHAPE_MISMATCH` for a scalar `weights`.
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

/**
 * For each row of w [N, K], the flat index n*K + pi(k) of w-_k's source, where pi(k) is the prototype whose rank is
 * K-1-rank(k) (ranks by decreasing weight, ties to the lower prototype index, as tf.topk orders them).
 */
function rankInverseIndex(w: Float32Array | Int32Array | Uint8Array, n: number, k: number): Int32Array {
  const index = new Int32Array(n * k);
  const order = new Array<number>(k);
  for (let row = 0; row < n; row++) {
    const base = row * k;
    for (let j = 0; j < k; j++) order[j] = j;
    order.sort((a, b) => {
      const d = w[base + b]! - w[base + a]!;
      return d !== 0 && !Number.isNaN(d) ? d : a - b;
    }); // order[r] = the prototype of rank r
    // pi(order[r]) = order[K-1-r]
    for (let r = 0; r < k; r++) index[base + order[r]!] = base + order[k - 1 - r]!;
  }
  return index;
}

/**
 * w-_k = w_{pi(k)}: a gather along each row. The permutation is piecewise constant in w, so it is computed from w's
 * values outside the graph (integer indices carry no gradient); the gather's gradient, a segment sum (pi is an
 * involution, so it is again P^T dy), is itself differentiable for MAML's second order.
 */
function rankInverse(w: tf.Tensor): tf.Tensor {
  const [n, k] = w.shape as [number, number];
  const index = tf.tensor1d(rankInverseIndex(w.dataSync(), n, k), "int32"); // [N*K]
  const out = tf.gather(w.reshape([n * k]), index).reshape([n, k]); // [N*K] -> [N, K]
  index.dispose();
  return out;
}

/**
 * Section 3.3: the counterfactual audio A- = sum_k w-_k m_k from the reconstructor's weights [B, l, K] and the bank
 * M [K, da] (held constant) -> [B, l, da]. (A+ is A_rec = sum_k w_k m_k from @tavt/avmm.)
 *
 * @param weights - The reconstructor's w, `[B, l, K]`.
 * @param bank - M, `[K, da]` (held constant).
 * @param config - Which construction (default `rank-inverse`).
 * @returns A-, `[B, l, da]`.
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
