import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "../addon";
import { pool } from "../pool";
import { valuesOf } from "./elementwise";

/** The kernel name @tavt/core's `adamStep` runs where the active backend has it (see core's optim/adam.ts). */
export const ADAM_KERNEL = "TavtAdam";

/** Attributes of the fused Adam kernel: the float32 scalars of one step. */
export interface AdamKernelAttrs {
  beta1: number;
  /** fround(1 - beta1), as the ops compute it (not 1 - fround(beta1)) */
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  eps: number;
  weightDecay: number;
  /** sqrt(1 - beta2^t) */
  sqrtBc2: number;
  /** lr / (1 - beta1^t) */
  lrOverBc1: number;
}

/**
 * `TavtAdam` on the native backend: inputs { p, g, m, v }, outputs [p', m', v'] in one pass over memory, equal bit
 * for bit to core's composition of tfjs ops on the cpu backend (eleven kernel calls and eleven buffers per parameter).
 */
export function adamKernel(addon: NativeAddon): KernelConfig {
  return {
    kernelName: ADAM_KERNEL,
    backendName: "native",
    kernelFunc: (args) => {
      const { p, g, m, v } = args.inputs as Record<"p" | "g" | "m" | "v", TensorInfo>;
      const a = args.attrs as unknown as AdamKernelAttrs;
      const backend = args.backend as MathBackendCPU;
      const n = p.shape.reduce((x, d) => x * d, 1);
      for (const [name, t] of [
        ["g", g],
        ["m", m],
        ["v", v],
      ] as const) {
        if (t.shape.reduce((x, d) => x * d, 1) !== n) {
          throw new Error(`TavtAdam: ${name} [${t.shape}] does not match p [${p.shape}]`);
        }
      }
      const po = pool.take(n);
      const mo = pool.take(n);
      const vo = pool.take(n);
      addon.adam(
        valuesOf(backend, p),
        valuesOf(backend, g),
        valuesOf(backend, m),
        valuesOf(backend, v),
        po,
        mo,
        vo,
        a.beta1,
        a.oneMinusBeta1,
        a.beta2,
        a.oneMinusBeta2,
        a.eps,
        a.weightDecay,
        a.sqrtBc2,
        a.lrOverBc1,
      );
      return [
        backend.makeTensorInfo(p.shape, "float32", po),
        backend.makeTensorInfo(p.shape, "float32", mo),
        backend.makeTensorInfo(p.shape, "float32", vo),
      ];
    },
  };
}
