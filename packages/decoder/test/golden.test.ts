import { flatten, initBackend, type ParamTree, valueAndGrad } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  expectClose,
  expectScalarClose,
  type Json,
  loadFixture,
  paramsFromJson,
  fromJson as t,
} from "../../../tools/test-utils/fixture";
import { applyDecoder, captionCrossEntropy, type DecoderConfig, type DecoderParams, shiftTokens } from "../src";

// Fixtures written by tools/golden/tavt_model.py (PyTorch, float64): `/usr/bin/python3 tools/golden/tavt_model.py`.
interface Fixture {
  config: DecoderConfig;
  params: Record<string, Json>;
  inputs: Record<string, Json>;
  expected: { logits: Json; alphaAv: Json; alphaVa: Json; loss: number; grads: Record<string, Json> };
}

const load = (name: string): Fixture => loadFixture<Fixture>("decoder", name);

beforeAll(async () => {
  await initBackend();
});

describe.each(["gated", "sum", "single_tied"])("decoder against PyTorch (%s)", (name) => {
  it("matches logits, gates, the weighted caption loss and every gradient to 1e-4", () => {
    const fx = load(name);
    const params = paramsFromJson(fx.params) as DecoderParams;
    // every parameter the TypeScript decoder has is in the fixture and vice versa
    const { xAv, xAvMask, xVa, xVaMask, weights } = fx.inputs;
    const memory = { xAv: t(xAv!), xAvMask: t(xAvMask!), xVa: t(xVa!), xVaMask: t(xVaMask!) };
    const s = shiftTokens(t(fx.inputs.tokens!, "int32"));
    const run = (p: ParamTree) =>
      applyDecoder(p as DecoderParams, { ...memory, tokens: s.input, tokenMask: s.inputMask }, fx.config);
    const out = run(params);
    expectClose(out.logits, fx.expected.logits, 1e-4, "logits");
    expectClose(out.alphaAv, fx.expected.alphaAv, 1e-4, "alphaAv");
    expectClose(out.alphaVa, fx.expected.alphaVa, 1e-4, "alphaVa");
    const { value, grads } = valueAndGrad((p) => {
      const o = run(p);
      return captionCrossEntropy(o.logits, s.target, s.targetMask, t(weights!));
    }, params);
    expectScalarClose(value.dataSync()[0]!, fx.expected.loss, 1e-5, "loss");
    const g = flatten(grads);
    expect(Object.keys(g).sort()).toEqual(Object.keys(fx.expected.grads).sort());
    for (const [k, want] of Object.entries(fx.expected.grads)) expectClose(g[k]!, want, 1e-4, `grad ${k}`);
  });
});
