import { tf } from "../tf";

/** The fused Adam kernel a backend may register (inputs p, g, m, v; outputs p', m', v'), e.g. @tavt/backend-native. */
export const ADAM_KERNEL = "TavtAdam";

import { flatten, mapTree, type ParamTree, unflatten } from "../tree";

/** Adam's settings: learning rate, betas, epsilon and weight decay (torch's defaults). */
export interface AdamConfig {
  /** Default 1e-3. */
  lr?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** L2 penalty added to the gradient, as torch.optim.Adam's weight_decay; default 0. */
  weightDecay?: number;
}

/** Adam's state: the step count and the first and second moment trees. */
export interface AdamState {
  step: number;
  m: ParamTree;
  v: ParamTree;
}

/**
 * A fresh Adam state for a tree: step 0 and zero moments.
 *
 * @param params - The tree the optimiser will update.
 * @returns The state {@link adamStep} takes.
 */
export function adamInit(params: ParamTree): AdamState {
  return { step: 0, m: mapTree(params, (p) => tf.zerosLike(p)), v: mapTree(params, (p) => tf.zerosLike(p)) };
}

/**
 * One bias-corrected Adam step (Kingma & Ba 2015), computed as torch.optim.Adam does:
 * p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * Returns new parameters and state; the inputs are left alone (the caller disposes them).
 * Parameters with no gradient in `grads` are carried over unchanged (the same tensors).
 *
 * @param params - The current parameters.
 * @param grads - Their gradients (a tree of the same names).
 * @param state - The state from {@link adamInit} or the previous step.
 * @param config - `lr` (default 1e-3), `beta1`, `beta2`, `eps`, `weightDecay` (torch's defaults).
 * @returns The new parameters and state.
 */
export function adamStep(
  params: ParamTree,
  grads: ParamTree,
  state: AdamState,
  config: AdamConfig = {},
): { params: ParamTree; state: AdamState } {
  const lr = config.lr ?? 1e-3;
  const b1 = config.beta1 ?? 0.9;
  const b2 = config.beta2 ?? 0.999;
  const eps = config.eps ?? 1e-8;
  const wd = config.weightDecay ?? 0;
  const t = state.step + 1;
  const bc1 = 1 - b1 ** t;
  const bc2 = 1 - b2 ** t;
  const fp = flatten(params);
  const fg = flatten(grads);
  const fm = flatten(state.m);
  const fv = flatten(state.v);
  // One fused kernel per parameter where the backend has it (native): the same float32 operations in one pass.
  const fused = tf.getKernel(ADAM_KERNEL, tf.getBackend()) !== undefined;
  const np: Record<string, tf.Tensor> = {};
  const nm: Record<string, tf.Tensor> = {};
  const nv: Record<string, tf.Tensor> = {};
  for (const [name, p] of Object.entries(fp)) {
    const g0 = fg[name];
    if (!g0) {
      np[name] = p;
      nm[name] = fm[name]!.clone();
      nv[name] = fv[name]!.clone();
      continue;
    }
    const [p1, m1, v1] = fused
      ? (tf.engine().runKernel(
          ADAM_KERNEL,
          { p, g: g0, m: fm[name]!, v: fv[name]! },
          {
            beta1: Math.fround(b1),
            oneMinusBeta1: Math.fround(1 - b1),
            beta2: Math.fround(b2),
            oneMinusBeta2: Math.fround(1 - b2),
            eps: Math.fround(eps),
            weightDecay: Math.fround(wd),
            sqrtBc2: Math.fround(Math.sqrt(bc2)),
            lrOverBc1: Math.fround(lr / bc1),
          },
        ) as tf.Tensor[])
      : tf.tidy(() => {
          const g = wd !== 0 ? g0.add(p.mul(wd)) : g0;
          const m = fm[name]!.mul(b1).add(g.mul(1 - b1));
          const v = fv[name]!.mul(b2).add(g.square().mul(1 - b2));
          const denom = v.sqrt().div(Math.sqrt(bc2)).add(eps);
          return [p.sub(m.div(denom).mul(lr / bc1)), m, v];
        });
    np[name] = p1!;
    nm[name] = m1!;
    nv[name] = v1!;
  }
  return { params: unflatten(np), state: { step: t, m: unflatten(nm), v: unflatten(nv) } };
}
