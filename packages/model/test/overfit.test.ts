import { adamInit, adamStep, disposeTree, initBackend, type ParamTree, rng, valueAndGrad } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { makeConfig, tavt } from "../src";
import { randomBank } from "./helpers";
import { eightSamples } from "./synthetic";

beforeAll(async () => {
  await initBackend();
});

describe("a tiny TAVT", () => {
  it("overfits 8 synthetic samples to near-zero caption loss, and beam search then reproduces their captions", () => {
    const config = makeConfig("tiny", { dim: 32, ffn: 64 });
    const model = tavt(config, { bank: randomBank(config) });
    const { batch, captions } = eightSamples(config);
    let params: ParamTree = model.init(rng.key(1));
    let state = adamInit(params);
    const loss = model.lossFn({ training: false });
    for (let i = 0; i < 80; i++) {
      const { value, grads } = valueAndGrad((p) => loss(p, batch, rng.key(i)), params);
      const next = adamStep(params, grads, state, { lr: 5e-3 });
      value.dispose();
      disposeTree(grads);
      disposeTree(params);
      disposeTree(state.m);
      disposeTree(state.v);
      params = next.params;
      state = next.state;
    }
    const parts = model.lossParts(params, batch, rng.key(0), { training: false });
    expect(parts.cap.dataSync()[0]).toBeLessThan(0.05);
    const out = model.caption(params, batch, { beam: 5 });
    expect(out.map((o) => o.ids)).toEqual(captions);
    for (const o of out) expect(o.alphaAv.every((a) => a > 0 && a < 1)).toBe(true);
  });
});
