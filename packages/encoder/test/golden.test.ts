import { flatten, initBackend, type ParamTree, type tf, valueAndGrad } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  expectClose,
  expectScalarClose,
  fromJson,
  type Json,
  loadFixture,
  mamlGrads,
  paramsFromJson,
} from "../../../tools/test-utils/fixture";
import { applyEncoder, type EncoderConfig, type EncoderParams } from "../src";

type InputName = "prefix" | "prefixMask" | "visual" | "visualMask" | "audio" | "audioMask" | "rAv" | "rVa";
interface Fixture {
  config: EncoderConfig;
  params: Record<string, Json>;
  inputs: Record<InputName, Json>;
  expected: Record<"xAv" | "xVa" | "avMask" | "vaMask" | "visualOnly", Json> & {
    loss: number;
    grads: Record<string, Json>;
    mamlAlpha: number;
    mamlGrads: Record<string, Json>;
  };
}

beforeAll(async () => {
  await initBackend();
});

describe("encoder against PyTorch", () => {
  it("matches x_av, x_va, the masks, the visual-only output (1e-5) and every first- and second-order (MAML) gradient (1e-4)", () => {
    const fx = loadFixture<Fixture>("encoder", "encoder");
    const params = paramsFromJson(fx.params) as EncoderParams;
    const x = Object.fromEntries(Object.entries(fx.inputs).map(([k, v]) => [k, fromJson(v)])) as Record<
      InputName,
      tf.Tensor
    >;
    const inputs = {
      prefix: x.prefix,
      prefixMask: x.prefixMask,
      visual: x.visual,
      visualMask: x.visualMask,
      audio: x.audio,
      audioMask: x.audioMask,
    };
    const out = applyEncoder(params, inputs, fx.config);
    expectClose(out.xAv, fx.expected.xAv, 1e-5, "xAv");
    expectClose(out.xVa!, fx.expected.xVa, 1e-5, "xVa");
    expectClose(out.avMask, fx.expected.avMask, 1e-5, "avMask");
    expectClose(out.vaMask!, fx.expected.vaMask, 1e-5, "vaMask");
    const vo = applyEncoder(params, { ...inputs, audio: null, audioMask: null }, fx.config);
    expectClose(vo.xAv, fx.expected.visualOnly, 1e-5, "visual-only xAv");
    const { value, grads } = valueAndGrad((p: ParamTree) => {
      const o = applyEncoder(p as EncoderParams, inputs, fx.config);
      return o.xAv.mul(x.rAv).sum().add(o.xVa!.mul(x.rVa).sum()) as tf.Scalar;
    }, params);
    expectScalarClose(value.dataSync()[0]!, fx.expected.loss, 1e-5, "loss");
    const g = flatten(grads);
    expect(Object.keys(g).sort()).toEqual(Object.keys(fx.expected.grads).sort());
    // atol 1e-5 for the first-order gradients: PyTorch 1.13 itself, run in float32 on this fixture (DT = float32 in
    // tools/golden/torch_layers.py), misses the float64 reference by 6.4e-6 on selfV.blocks.0.attn.v.weight[43]
    // (|want| 9.3e-4, a sum that cancels), 5.9 times the default atol's bound; ours misses it by 1.1e-6 on wasm.
    for (const [k, want] of Object.entries(fx.expected.grads)) expectClose(g[k]!, want, 1e-4, `grad ${k}`, 1e-5);
    const loss = (p: ParamTree) => {
      const o = applyEncoder(p as EncoderParams, inputs, fx.config);
      return o.xAv.mul(x.rAv).sum().add(o.xVa!.mul(x.rVa).sum()) as tf.Scalar;
    };
    const mg = mamlGrads(loss, params, fx.expected.mamlAlpha);
    // atol 1e-4 for the second-order gradients only (values up to 55): float32 arithmetic alone misses the float64
    // reference by up to 6.1e-5 beyond rtol 1e-4 there (PyTorch itself run in float32 on this fixture), and at the
    // default atol our own float32 result missed by 1.4x the bound (selfA.blocks.0.attn.q.weight, |want| 0.0103).
    for (const [k, want] of Object.entries(fx.expected.mamlGrads))
      expectClose(mg[k]!, want, 1e-4, `MAML grad ${k}`, 1e-4);
  });
});
