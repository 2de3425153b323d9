import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FlatParams, flatten, initBackend, rng, tf, treeNames, unflatten, valueAndGrad } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectScalarClose, worstAllClose } from "../../../tools/test-utils/fixture";
import { type Ablation, type CaptionBatch, initTavt, makeConfig, type TavtConfig, tavtLoss } from "../src";

// Fixtures written by tools/golden/tavt_model.py (PyTorch, float64): `/usr/bin/python3 tools/golden/tavt_model.py`.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../../tools/fixtures/model");

interface Json {
  shape: number[];
  data: number[];
}
interface Fixture {
  config: Omit<TavtConfig, "ablation">;
  ablation: Partial<Ablation>;
  params: Record<string, Json>;
  bank: Json;
  batch: Record<"visual" | "visualMask" | "audio" | "audioMask" | "tokens", Json>;
  expected: { parts: Record<"cap" | "rec" | "dis" | "dep" | "total", number>; grads: Record<string, Json> };
}

const t = (j: Json, dtype: "float32" | "int32" = "float32") => tf.tensor(j.data, j.shape, dtype);

/** |got - want| against torch.allclose's bound atol + rtol * |want| (atol 1e-6): at most 1 where it holds. */
function worstError(got: tf.Tensor, want: Json, rtol: number): number {
  expect(got.shape).toEqual(want.shape);
  return worstAllClose(got.dataSync(), want.data, rtol).ratio;
}

beforeAll(async () => {
  await initBackend();
});

describe.each(["tavt_tiny", "tavt_tiny_nowma"])("the full TAVT loss against PyTorch (%s)", (name) => {
  it("agrees on every part of eq. 10 and on the gradient of every parameter to 1e-4", () => {
    const fx: Fixture = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8"));
    const config = makeConfig("tiny", { ...fx.config, ablation: fx.ablation });
    const flat: FlatParams = {};
    for (const [k, v] of Object.entries(fx.params)) flat[k] = t(v);
    const params = unflatten(flat);
    // the reference's parameter tree has exactly our names
    expect(Object.keys(flat).sort()).toEqual(treeNames(initTavt(rng.key(0), config)).sort());
    const b = fx.batch;
    const batch: CaptionBatch = {
      ids: ["a", "b", "c"],
      domains: ["x", "x", "x"],
      visual: t(b.visual) as tf.Tensor3D,
      visualMask: t(b.visualMask) as tf.Tensor2D,
      audio: t(b.audio) as tf.Tensor3D,
      audioMask: t(b.audioMask) as tf.Tensor2D,
      tokens: t(b.tokens, "int32") as tf.Tensor2D,
      references: [[], [], []],
    };
    const bank = t(fx.bank) as tf.Tensor2D;
    const parts = tavtLoss(params, batch, rng.key(0), { bank, config, training: false });
    for (const k of ["cap", "rec", "dis", "dep", "total"] as const) {
      const want = fx.expected.parts[k];
      expectScalarClose(parts[k].dataSync()[0]!, want, 1e-4, k);
    }
    const { grads } = valueAndGrad(
      (p) => tavtLoss(p, batch, rng.key(0), { bank, config, training: false }).total,
      params,
    );
    const g = flatten(grads);
    expect(Object.keys(g).sort()).toEqual(Object.keys(fx.expected.grads).sort());
    const bad = Object.entries(fx.expected.grads)
      .map(([k, want]) => [k, worstError(g[k]!, want, 1e-4)] as const)
      .filter(([, e]) => !(e <= 1));
    expect(bad).toEqual([]);
  });
});
