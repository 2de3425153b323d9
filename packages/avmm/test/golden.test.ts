import { flatten, initBackend, type ParamTree, tf, valueAndGrad } from "@tavt/core";
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
import { type AvmmConfig, type AvmmParams, applyAvmm } from "../src";

interface Fixture {
  config: AvmmConfig;
  params: Record<string, Json>;
  inputs: Record<"visual" | "visualMask" | "audio" | "audioMask" | "bank", Json>;
  expected: Record<"clips" | "clipMask" | "prefix" | "weights" | "aRec" | "audioClips" | "audioClipMask", Json> & {
    lossRec: number;
    grads: Record<string, Json>;
    mamlAlpha: number;
    mamlGrads: Record<string, Json>;
  };
}

beforeAll(async () => {
  await initBackend();
});

describe("avmm against PyTorch", () => {
  it("matches clips, prefix, weights, A_rec, L_rec (1e-5) and every gradient of L_rec (1e-4)", () => {
    const fx = loadFixture<Fixture>("avmm", "avmm");
    const params = paramsFromJson(fx.params) as AvmmParams;
    const inputs = {
      visual: fromJson(fx.inputs.visual),
      visualMask: fromJson(fx.inputs.visualMask),
      audio: fromJson(fx.inputs.audio),
      audioMask: fromJson(fx.inputs.audioMask),
      bank: fromJson(fx.inputs.bank),
    };
    const out = applyAvmm(params, inputs, fx.config);
    expectClose(out.clips, fx.expected.clips, 1e-5, "clips");
    expectClose(out.prefixMask, fx.expected.clipMask, 1e-5, "clipMask");
    expectClose(out.prefix, fx.expected.prefix, 1e-5, "prefix");
    expectClose(out.weights, fx.expected.weights, 1e-5, "weights");
    expectClose(out.aRec, fx.expected.aRec, 1e-5, "aRec");
    expectClose(out.audioClips!, fx.expected.audioClips, 1e-5, "audioClips");
    expectClose(out.audioClipMask!, fx.expected.audioClipMask, 1e-5, "audioClipMask");
    expectScalarClose(out.lossRec!.dataSync()[0]!, fx.expected.lossRec, 1e-5, "L_rec");
    const { grads } = valueAndGrad((p: ParamTree) => applyAvmm(p as AvmmParams, inputs, fx.config).lossRec!, params);
    const g = flatten(grads);
    expect(Object.keys(g).sort()).toEqual(Object.keys(fx.expected.grads).sort());
    for (const [k, want] of Object.entries(fx.expected.grads)) expectClose(g[k]!, want, 1e-4, `grad ${k}`);
    tf.dispose(Object.values(g));
  });

  it("matches the second-order (MAML) gradient of L_rec to 1e-4", () => {
    const fx = loadFixture<Fixture>("avmm", "avmm");
    const params = paramsFromJson(fx.params) as AvmmParams;
    const inputs = Object.fromEntries(Object.entries(fx.inputs).map(([k, v]) => [k, fromJson(v)])) as Record<
      keyof Fixture["inputs"],
      tf.Tensor
    >;
    const g = mamlGrads((p) => applyAvmm(p as AvmmParams, inputs, fx.config).lossRec!, params, fx.expected.mamlAlpha);
    for (const [k, want] of Object.entries(fx.expected.mamlGrads)) expectClose(g[k]!, want, 1e-4, `MAML grad ${k}`);
  });
});
