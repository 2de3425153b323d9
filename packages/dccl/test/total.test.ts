import { type AvmmConfig, type AvmmParams, applyAvmm, initAvmm } from "@tavt/avmm";
import { flatten, initBackend, type ParamTree, rng, tf, valueAndGrad } from "@tavt/core";
import { applyEncoder, type EncoderConfig, type EncoderParams, initEncoder } from "@tavt/encoder";
import { beforeAll, describe, expect, it } from "vitest";
import { type Counterfactual, counterfactualAudio, lossDep, lossDis, modalityAwareWeights, psi } from "../src";

// The three packages composed as @tavt/model does: AVMM -> (A, A+, A-) -> encoder -> gates -> L_rec + L_dis + L_dep.
// The decoder is not a dependency of these packages, so a fixed stand-in turns encoder outputs into per-token gates.
const B = 2;
const L = 4;
const avmmConfig: AvmmConfig = { visualDim: 6, audioDim: 4, dim: 8, heads: 2, clusters: 5, clips: 2, clipLength: 3 };
const encConfig: EncoderConfig = { visualDim: 6, audioDim: 4, dim: 8, heads: 2, blocks: 1, ffn: 16 };

function data(seed: number) {
  const k = rng.splitNamed(rng.key(seed), ["v", "a", "m", "e"]);
  const mask = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [B, 6]);
  return {
    visual: rng.normal(k.v, [B, 6, 6]),
    visualMask: mask,
    audio: rng.normal(k.a, [B, 6, 4]),
    audioMask: mask.clone(),
    bank: rng.normal(k.m, [5, 4]),
    tokenEmb: rng.normal(k.e, [1, L, 8]),
    tokenMask: tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 0], [B, L]),
  };
}
type Data = ReturnType<typeof data>;

/** Stand-in gates [B, L, d]: sigmoid(token embedding + the masked mean of a memory). */
function gates(x: tf.Tensor, mask: tf.Tensor, emb: tf.Tensor): tf.Tensor {
  const m = mask.expandDims(2); // [B, T, 1]
  const pooled = x
    .mul(m)
    .sum(1)
    .div(tf.maximum(m.sum(1), 1)); // [B, d]
  return tf.sigmoid(emb.add(pooled.expandDims(1))); // [B, L, d]
}

function total(params: ParamTree, x: Data, freeze = false, counterfactual: Counterfactual = "rank-inverse") {
  const av = applyAvmm(params.avmm as AvmmParams, x, avmmConfig, {}, { freeze });
  const aNeg = counterfactualAudio(av.weights, x.bank, { counterfactual });
  const r = (audio: tf.Tensor, audioMask: tf.Tensor) => {
    const enc = applyEncoder(
      params.encoder as EncoderParams,
      { visual: x.visual, visualMask: x.visualMask, prefix: av.prefix, prefixMask: av.prefixMask, audio, audioMask },
      encConfig,
    );
    return psi(gates(enc.xAv, enc.avMask, x.tokenEmb), gates(enc.xVa!, enc.vaMask!, x.tokenEmb));
  };
  const rec = av.lossRec!;
  const dis = lossDis(av.audioClips!, av.aRec, aNeg, av.audioClipMask!);
  const dep = lossDep(r(x.audio, x.audioMask), r(av.aRec, av.prefixMask), r(aNeg, av.prefixMask), x.tokenMask);
  return rec.add(dis).add(dep) as tf.Scalar;
}

const maxAbs = (t: tf.Tensor) => tf.abs(t).max().dataSync()[0]!;
const init = (seed: number): ParamTree => {
  const k = rng.splitNamed(rng.key(seed), ["avmm", "encoder"]);
  return { avmm: initAvmm(k.avmm, avmmConfig), encoder: initEncoder(k.encoder, encConfig) };
};

beforeAll(async () => {
  await initBackend();
});

describe("L_rec + L_dis + L_dep over @tavt/avmm, @tavt/encoder and @tavt/dccl", () => {
  it("gives every parameter a non-zero gradient", () => {
    const x = data(1);
    const { value, grads } = valueAndGrad((p) => total(p, x), init(2));
    expect(Number.isFinite(value.dataSync()[0]!)).toBe(true);
    const g = flatten(grads);
    expect(Object.keys(g).some((n) => n.startsWith("avmm."))).toBe(true);
    for (const [name, t] of Object.entries(g)) expect(maxAbs(t), name).toBeGreaterThan(0);
  });

  it("gives the frozen AVMM no gradient and the encoder its gradient", () => {
    const x = data(1);
    const g = flatten(valueAndGrad((p) => total(p, x, true), init(2)).grads);
    for (const [name, t] of Object.entries(g)) {
      if (name.startsWith("avmm.")) expect(maxAbs(t), name).toBe(0);
      else expect(maxAbs(t), name).toBeGreaterThan(0);
    }
  });

  it("keeps tf.memory().numTensors flat over repeated steps", () => {
    const x = data(3);
    const params = init(4);
    const step = () => {
      const { value, grads } = valueAndGrad((p) => total(p, x), params);
      tf.dispose([value, ...Object.values(flatten(grads))]);
      tf.tidy(() => {
        const a = gates(
          x.visual.slice([0, 0, 0], [B, 6, 6]).pad([
            [0, 0],
            [0, 0],
            [0, 2],
          ]),
          x.visualMask,
          x.tokenEmb,
        );
        modalityAwareWeights(a, a.mul(0.5), tf.tensor2d([5, 6, 5, 2, 6, 7, 2, 0], [B, L], "int32"), x.tokenMask);
      });
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
