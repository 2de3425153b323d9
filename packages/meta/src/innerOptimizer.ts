import { type FlatParams, TavtError, tf } from "@tavt/core";

/** The update rule of the inner loop and of meta-test adaptation (paper section 4.2 says Adam). */
export type InnerOptimizer = "sgd" | "adam";
/** The inner loop's rules: `sgd` and `adam`. */
export const INNER_OPTIMIZERS: readonly InnerOptimizer[] = ["sgd", "adam"];

/** Adam's constants for the inner loop (torch.optim.Adam's defaults). */
export interface InnerAdamConfig {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** The optimiser's state between steps: Adam's moments (empty for SGD) and the step count. */
export interface InnerOptState {
  step: number;
  m: FlatParams;
  v: FlatParams;
}

export function checkInnerOptimizer(value: unknown, field: string): InnerOptimizer {
  if (value === "sgd" || value === "adam") return value;
  throw new TavtError("BAD_CONFIG", `meta config: "${field}" must be "sgd" or "adam", got ${String(value)}`, {
    field,
    value,
  });
}

/**
 * A fresh inner-optimiser state (step 0, no moments).
 *
 * @returns `{ step: 0, m: {}, v: {} }`.
 */
export function innerOptInit(): InnerOptState {
  return { step: 0, m: {}, v: {} };
}

/**
 * sqrt(v) with a gradient that is 0 (not NaN) where v = 0: sqrt's derivative is infinite there, and Adam's first
 * step from a zero gradient would poison a second-order meta-gradient with 0 * inf (`higher` masks the same entries).
 */
function safeSqrt(v: tf.Tensor): tf.Tensor {
  const positive = v.greater(0);
  return tf.where(positive, tf.sqrt(tf.where(positive, v, tf.onesLike(v))), tf.zerosLike(v));
}

/**
 * One step of the chosen rule on every leaf of `params` (all tfjs ops on the inputs, so an enclosing gradient can
 * differentiate through it: second-order MAML with an inner Adam, as `higher`'s DifferentiableAdam):
 * - sgd: theta - alpha g (Algorithm 1, line 5);
 * - adam: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, theta - (alpha / (1 - b1^t)) m / (sqrt(v / (1 - b2^t)) + eps),
 *   computed as torch.optim.Adam does. Returns new tensors; the inputs are left alone.
 *
 * @param optimizer - "sgd" or "adam".
 * @param params - The leaves to update, by dotted name.
 * @param grads - Their gradients, by the same names.
 * @param state - The state after the previous step (`innerOptInit()` before the first).
 * @param lr - The step size alpha.
 * @param adam - Adam's beta1 (0.9), beta2 (0.999) and eps (1e-8).
 * @returns The new leaves and the new state (new tensors).
 */
export function innerOptStep(
  optimizer: InnerOptimizer,
  params: FlatParams,
  grads: FlatParams,
  state: InnerOptState,
  lr: number,
  adam: InnerAdamConfig = {},
): { params: FlatParams; state: InnerOptState } {
  const next: FlatParams = {};
  const t = state.step + 1;
  if (optimizer === "sgd") {
    for (const [n, p] of Object.entries(params)) next[n] = p.sub(grads[n]!.mul(lr));
    return { params: next, state: { step: t, m: {}, v: {} } };
  }
  const b1 = adam.beta1 ?? 0.9;
  const b2 = adam.beta2 ?? 0.999;
  const eps = adam.eps ?? 1e-8;
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  const m: FlatParams = {};
  const v: FlatParams = {};
  for (const [n, p] of Object.entries(params)) {
    const g = grads[n]!;
    m[n] = state.m[n] ? state.m[n]!.mul(b1).add(g.mul(1 - b1)) : g.mul(1 - b1);
    v[n] = state.v[n] ? state.v[n]!.mul(b2).add(g.square().mul(1 - b2)) : g.square().mul(1 - b2);
    const denom = safeSqrt(v[n]!).div(Math.sqrt(bc2)).add(eps);
    next[n] = p.sub(m[n]!.div(denom).mul(lr / bc1));
  }
  return { params: next, state: { step: t, m, v } };
}

/** Dispose the moments of a state (SGD has none). */
export function disposeInnerOptState(state: InnerOptState): void {
  for (const t of [...Object.values(state.m), ...Object.values(state.v)]) t.dispose();
}
