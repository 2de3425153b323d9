import {
  activeBackend,
  adamInit,
  adamStep,
  disposeTree,
  flatten,
  initBackend,
  type ParamTree,
  rng,
  tf,
  valueAndGrad,
} from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { makeConfig, tavt } from "../src";
import { randomBank } from "./helpers";
import { eightSamples } from "./synthetic";

beforeAll(async () => {
  await initBackend();
});

/** 20 training steps (dropout on, Adam) from one seed; the parameters as raw float32 bits. */
async function train20(): Promise<Record<string, number[]>> {
  const config = makeConfig("tiny", { dim: 32, ffn: 64 });
  const model = tavt(config, { bank: randomBank(config) });
  const { batch } = eightSamples(config);
  let params: ParamTree = model.init(rng.key(5));
  let state = adamInit(params);
  const loss = model.lossFn({ training: true });
  for (let i = 0; i < 20; i++) {
    const { value, grads } = valueAndGrad((p) => loss(p, batch, rng.foldIn(rng.key(6), i)), params);
    const next = adamStep(params, grads, state, { lr: 3e-3 });
    value.dispose();
    disposeTree(grads);
    disposeTree(params);
    disposeTree(state.m);
    disposeTree(state.v);
    params = next.params;
    state = next.state;
    await new Promise((r) => setImmediate(r)); // let vitest's worker talk between steps
  }
  const bits = Object.fromEntries(
    Object.entries(flatten(params)).map(([n, t]) => [
      n,
      Array.from(new Uint32Array(new Float32Array(t.dataSync()).buffer)),
    ]),
  );
  disposeTree(params);
  disposeTree(state.m);
  disposeTree(state.v);
  return bits;
}

describe(`determinism on the active backend`, () => {
  it("the same seed gives bit-identical parameters after 20 training steps", async () => {
    const a = await train20();
    const b = await train20();
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(b).toEqual(a);
    expect(tf.getBackend()).toBe(activeBackend());
  });
});
