import { beforeAll, describe, expect, it } from "vitest";
import {
  type AdamState,
  type AttentionParams,
  adamInit,
  adamStep,
  applyAttention,
  applyDecoderBlock,
  applyEmbedding,
  applyEncoderBlock,
  applyFeedForward,
  applyLayerNorm,
  applyLinear,
  clipByGlobalNorm,
  type DecoderBlockParams,
  disposeTree,
  type EmbeddingParams,
  type EncoderBlockParams,
  type FeedForwardParams,
  flatten,
  initBackend,
  type LayerNormParams,
  type LinearParams,
  type ParamTree,
  tf,
  valueAndGrad,
} from "../src";
import { ATOL, expectClose, fromJson, type Json, loadFixture, treeFromJson } from "./fixture";

/** One layer case of tools/fixtures/core/layers.json (see tools/golden/core.py). */
interface LayerCase {
  config: Record<string, number>;
  params: Record<string, Json>;
  inputs: Record<string, Json>;
  consts: Record<string, Json>;
  R: Record<string, Json>;
  outputs: Record<string, Json>;
  loss: number;
  /** "param.<dotted name>" and "input.<name>". */
  grads: Record<string, Json>;
}

type Apply = (
  params: ParamTree,
  inputs: Record<string, tf.Tensor>,
  consts: Record<string, tf.Tensor>,
) => Record<string, tf.Tensor>;

const FORWARD_TOL = 1e-5;
const GRAD_TOL = 1e-4;

let layers: Record<string, LayerCase>;

beforeAll(async () => {
  await initBackend();
  layers = loadFixture<Record<string, LayerCase>>("layers");
});

/** Forward outputs within 1e-5 and d(sum_k out_k * R_k)/d(every input and weight) within 1e-4 of PyTorch. */
function checkCase(name: string, intConsts: string[], apply: Apply): void {
  const fx = layers[name]!;
  const before = tf.memory().numTensors;
  const params = treeFromJson(fx.params);
  const inputs = treeFromJson(fx.inputs) as Record<string, tf.Tensor>;
  const consts = Object.fromEntries(
    Object.entries(fx.consts).map(([k, v]) => [k, fromJson(v, intConsts.includes(k) ? "int32" : "float32")]),
  );
  const rs = Object.fromEntries(Object.entries(fx.R).map(([k, v]) => [k, fromJson(v)]));

  const outs = apply(params, inputs, consts);
  for (const [k, want] of Object.entries(fx.outputs)) expectClose(outs[k]!, want, FORWARD_TOL, `${name} ${k}`);
  for (const t of Object.values(outs)) t.dispose();

  const tree: ParamTree = { param: params, input: inputs };
  const { value, grads } = valueAndGrad((t) => {
    const o = apply(t.param as ParamTree, t.input as Record<string, tf.Tensor>, consts);
    return tf.addN(Object.keys(fx.R).map((k) => o[k]!.mul(rs[k]!).sum())) as tf.Scalar;
  }, tree);
  expect(Math.abs(value.dataSync()[0]! - fx.loss), `${name} loss`).toBeLessThanOrEqual(
    ATOL + FORWARD_TOL * Math.abs(fx.loss),
  );
  const g = flatten(grads);
  expect(Object.keys(g).sort(), `${name}: gradient names`).toEqual(Object.keys(fx.grads).sort());
  for (const [k, want] of Object.entries(fx.grads)) expectClose(g[k]!, want, GRAD_TOL, `${name} grad ${k}`);

  value.dispose();
  for (const t of [grads, params, inputs, consts, rs]) disposeTree(t as ParamTree);
  expect(tf.memory().numTensors, `${name}: tensors left behind`).toBe(before);
}

describe("layers against PyTorch (forward <= 1e-5, gradients <= 1e-4)", () => {
  it("linear", () => {
    checkCase("linear", [], (p, x) => ({ out: applyLinear(p as LinearParams, x.x!) }));
  });

  it("layer norm", () => {
    checkCase("layerNorm", [], (p, x) => ({ out: applyLayerNorm(p as LayerNormParams, x.x!) }));
  });

  it("embedding (the gradient scatters through gather, repeated ids add up)", () => {
    checkCase("embedding", ["ids"], (p, _x, c) => ({ out: applyEmbedding(p as EmbeddingParams, c.ids!) }));
  });

  it("cross attention with a key-padding mask, one batch element fully masked", () => {
    const cfg = layers.attentionPadding!.config;
    checkCase("attentionPadding", [], (p, x, c) => {
      const { out, weights } = applyAttention(
        p as AttentionParams,
        { query: x.query!, key: x.key!, value: x.value!, keyMask: c.keyMask },
        { dim: cfg.dim!, heads: cfg.heads!, kvDim: cfg.kvDim },
      );
      return { out, weights };
    });
  });

  it("causal self attention with key padding, one query row fully masked", () => {
    const cfg = layers.attentionCausal!.config;
    checkCase("attentionCausal", [], (p, x, c) => {
      const { out, weights } = applyAttention(
        p as AttentionParams,
        { query: x.x!, key: x.x!, value: x.x!, keyMask: c.keyMask, causal: true },
        { dim: cfg.dim!, heads: cfg.heads! },
      );
      return { out, weights };
    });
  });

  it("feed-forward", () => {
    const cfg = layers.feedForward!.config;
    checkCase("feedForward", [], (p, x) => ({
      out: applyFeedForward(p as FeedForwardParams, x.x!, { dim: cfg.dim!, hidden: cfg.hidden! }),
    }));
  });

  it("pre-LN encoder block with a padding mask", () => {
    const cfg = layers.encoderBlock!.config;
    checkCase("encoderBlock", [], (p, x, c) => ({
      out: applyEncoderBlock(p as EncoderBlockParams, x.x!, { dim: cfg.dim!, heads: cfg.heads!, ffn: cfg.ffn }, c.mask),
    }));
  });

  it("pre-LN decoder block (causal self attention, cross attention to a padded memory)", () => {
    const cfg = layers.decoderBlock!.config;
    checkCase("decoderBlock", [], (p, x, c) => ({
      out: applyDecoderBlock(
        p as DecoderBlockParams,
        { x: x.x!, memory: x.memory!, mask: c.mask, memoryMask: c.memoryMask },
        { dim: cfg.dim!, heads: cfg.heads!, ffn: cfg.ffn, memoryDim: cfg.memoryDim },
      ),
    }));
  });
});

interface AdamCase {
  config: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; maxNorm: number };
  init: Record<string, Json>;
  steps: { grads: Record<string, Json>; norm: number; clipped: Record<string, Json>; params: Record<string, Json> }[];
}

describe("optimisers against torch.optim.Adam and clip_grad_norm_", () => {
  it.each(["adam", "adamWeightDecay"])("%s: three clipped, bias-corrected steps", (name) => {
    const fx = loadFixture<Record<string, AdamCase>>("optim")[name]!;
    const { maxNorm, ...adam } = fx.config;
    let params = treeFromJson(fx.init);
    let state: AdamState = adamInit(params);
    fx.steps.forEach((step, i) => {
      const raw = treeFromJson(step.grads);
      const { grads, norm } = clipByGlobalNorm(raw, maxNorm);
      expect(Math.abs(norm - step.norm), `step ${i + 1} norm`).toBeLessThanOrEqual(ATOL + FORWARD_TOL * step.norm);
      const cg = flatten(grads);
      for (const [k, want] of Object.entries(step.clipped))
        expectClose(cg[k]!, want, FORWARD_TOL, `step ${i + 1} ${k}`);
      const next = adamStep(params, grads, state, adam);
      disposeTree(params);
      disposeTree(state.m);
      disposeTree(state.v);
      disposeTree(raw);
      disposeTree(grads);
      params = next.params;
      state = next.state;
      expect(state.step).toBe(i + 1);
      const p = flatten(params);
      for (const [k, want] of Object.entries(step.params)) expectClose(p[k]!, want, FORWARD_TOL, `step ${i + 1} ${k}`);
    });
    disposeTree(params);
    disposeTree(state.m);
    disposeTree(state.v);
  });
});
