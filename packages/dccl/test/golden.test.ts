import { initBackend, type ParamTree, tf } from "@tavt/core";
import { beforeAll, describe, it } from "vitest";
import {
  expectClose,
  expectScalarClose,
  fromJson,
  type Json,
  loadFixture,
  mamlGrads,
} from "../../../tools/test-utils/fixture";
import {
  type Counterfactual,
  counterfactualAudio,
  counterfactualWeights,
  lossDep,
  lossDis,
  modalityAwareWeights,
  psi,
} from "../src";

const GATES = ["alphaAv", "alphaAvNeg", "alphaAvPos", "alphaVa", "alphaVaNeg", "alphaVaPos"] as const;
type Gate = (typeof GATES)[number];
interface Fixture {
  config: { tau: number; psiEps: number };
  inputs: Record<"logits" | "bank" | "audioClips" | "clipMask" | "tokenMask" | "tokens" | "wmaCoef" | Gate, Json>;
  expected: {
    weightsNeg: Record<Counterfactual, Json>;
    aNeg: Record<Counterfactual, Json>;
    lossDis: Record<string, number>;
    gradLogits: Record<string, Json>;
    lossDep: Record<"own" | "inBatch", { loss: number; grads: Record<Gate, Json> }> & {
      mamlGrads: Record<Gate, Json>;
    };
    mamlAlpha: number;
    mamlGradLogits: Json;
    wma: Json;
    wmaNormalized: Json;
    wmaGrads: Record<"alphaAv" | "alphaVa", Json>;
  };
}

let fx: Fixture;
const scalarClose = (got: tf.Tensor, want: number, what: string) =>
  expectScalarClose(got.dataSync()[0]!, want, 1e-5, what);

beforeAll(async () => {
  await initBackend();
  fx = loadFixture<Fixture>("dccl", "dccl");
});

describe("dccl against PyTorch", () => {
  it.each(["rank-inverse", "reverse", "complement"] as const)("%s: w-, A-, L_dis and its gradient", (mode) => {
    const z = fromJson(fx.inputs.logits);
    const bank = fromJson(fx.inputs.bank);
    const audio = fromJson(fx.inputs.audioClips);
    const mask = fromJson(fx.inputs.clipMask);
    const w = tf.softmax(z, -1);
    expectClose(counterfactualWeights(w, { counterfactual: mode }), fx.expected.weightsNeg[mode], 1e-5, "w-");
    expectClose(counterfactualAudio(w, bank, { counterfactual: mode }), fx.expected.aNeg[mode], 1e-5, "A-");
    for (const inBatchNegatives of [false, true]) {
      const key = `${mode}${inBatchNegatives ? "+inBatch" : ""}`;
      const f = (logits: tf.Tensor) => {
        const wt = tf.softmax(logits, -1);
        const aPos = tf.matMul(wt.reshape([6, 5]), bank).reshape([2, 3, 4]); // A+ = A_rec
        const aNeg = counterfactualAudio(wt, bank, { counterfactual: mode });
        return lossDis(audio, aPos, aNeg, mask, { tau: fx.config.tau, inBatchNegatives });
      };
      scalarClose(f(z), fx.expected.lossDis[key]!, `L_dis ${key}`);
      expectClose(tf.grad(f)(z), fx.expected.gradLogits[key]!, 1e-4, `dL_dis/dlogits ${key}`);
    }
  });

  it.each(["own", "inBatch"] as const)("L_dep over psi (%s negatives) and its gradients", (which) => {
    const gates = GATES.map((g) => fromJson(fx.inputs[g]));
    const mask = fromJson(fx.inputs.tokenMask);
    const f = (av: tf.Tensor, avNeg: tf.Tensor, avPos: tf.Tensor, va: tf.Tensor, vaNeg: tf.Tensor, vaPos: tf.Tensor) =>
      lossDep(psi(av, va), psi(avPos, vaPos), psi(avNeg, vaNeg), mask, {
        tau: fx.config.tau,
        inBatchNegatives: which === "inBatch",
      });
    const want = fx.expected.lossDep[which];
    scalarClose(
      f(...(gates as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])),
      want.loss,
      "L_dep",
    );
    const grads = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)(gates);
    GATES.forEach((g, i) => {
      expectClose(grads[i]!, want.grads[g], 1e-4, `dL_dep/d${g}`);
    });
  });

  it("second-order (MAML) gradients of L_dis (rank-inverse) and L_dep", () => {
    const bank = fromJson(fx.inputs.bank);
    const audio = fromJson(fx.inputs.audioClips);
    const mask = fromJson(fx.inputs.clipMask);
    const dis = (p: ParamTree) => {
      const w = tf.softmax(p.z as tf.Tensor, -1);
      const aPos = tf.matMul(w.reshape([6, 5]), bank).reshape([2, 3, 4]);
      return lossDis(audio, aPos, counterfactualAudio(w, bank), mask, { tau: fx.config.tau });
    };
    const gz = mamlGrads(dis, { z: fromJson(fx.inputs.logits) }, fx.expected.mamlAlpha);
    expectClose(gz.z!, fx.expected.mamlGradLogits, 1e-4, "MAML dL_dis/dlogits");
    const tm = fromJson(fx.inputs.tokenMask);
    const dep = (p: ParamTree) => {
      const g = p as Record<Gate, tf.Tensor>;
      return lossDep(psi(g.alphaAv, g.alphaVa), psi(g.alphaAvPos, g.alphaVaPos), psi(g.alphaAvNeg, g.alphaVaNeg), tm, {
        tau: fx.config.tau,
      });
    };
    const gg = mamlGrads(dep, Object.fromEntries(GATES.map((g) => [g, fromJson(fx.inputs[g])])), fx.expected.mamlAlpha);
    for (const g of GATES) expectClose(gg[g]!, fx.expected.lossDep.mamlGrads[g], 1e-4, `MAML dL_dep/d${g}`);
  });

  it("W_ma (eq. 8), normalised, and its gradient when not stopped", () => {
    const av = fromJson(fx.inputs.alphaAv);
    const va = fromJson(fx.inputs.alphaVa);
    const tokens = fromJson(fx.inputs.tokens, "int32");
    const mask = fromJson(fx.inputs.tokenMask);
    expectClose(modalityAwareWeights(av, va, tokens, mask), fx.expected.wma, 1e-5, "W_ma");
    expectClose(
      modalityAwareWeights(av, va, tokens, mask, { normalize: true }),
      fx.expected.wmaNormalized,
      1e-5,
      "W_ma normalised",
    );
    const c = fromJson(fx.inputs.wmaCoef);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      modalityAwareWeights(a, b, tokens, mask, { stopGradient: false }).mul(c).sum(),
    )([av, va]);
    expectClose(g[0]!, fx.expected.wmaGrads.alphaAv, 1e-4, "dW_ma/dalphaAv");
    expectClose(g[1]!, fx.expected.wmaGrads.alphaVa, 1e-4, "dW_ma/dalphaVa");
  });
});
