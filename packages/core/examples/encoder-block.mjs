// Runnable: `pnpm --filter @tavt/core build && node packages/core/examples/encoder-block.mjs` (or in a project with @tavt/core installed).
// Trains one pre-LN encoder block to fit a random target with Adam, then saves and reloads it as safetensors.
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  adamInit,
  adamStep,
  applyEncoderBlock,
  countParams,
  disposeTree,
  initBackend,
  initEncoderBlock,
  loadCheckpoint,
  rng,
  saveCheckpoint,
  tf,
  valueAndGrad,
} from "@tavt/core";

const report = await initBackend(); // tfjs-node-gpu > tfjs-node > wasm > cpu; TAVT_BACKEND overrides
console.log(`backend ${report.backend} (skipped: ${report.skipped.map((s) => s.backend).join(", ") || "none"})`);

const config = { dim: 16, heads: 4 };
const k = rng.splitNamed(rng.key(0), ["init", "x", "y"]);
let params = initEncoderBlock(k.init, config); // { ln1, attn: { q, k, v, o }, ln2, ffn: { fc1, fc2 } }
console.log(`${countParams(params)} parameters`);
const x = rng.normal(k.x, [2, 5, 16]); // [B, T, D]
const y = rng.normal(k.y, [2, 5, 16]);
const mask = tf.tensor2d([
  [1, 1, 1, 1, 1],
  [1, 1, 1, 0, 0], // 1 = real, 0 = padding
]);

let state = adamInit(params);
for (let step = 1; step <= 100; step++) {
  const { value, grads } = valueAndGrad((p) => applyEncoderBlock(p, x, config, mask).sub(y).square().mean(), params);
  const next = adamStep(params, grads, state, { lr: 1e-2 });
  if (step % 25 === 0)
    console.log(`step ${step}: loss ${value.dataSync()[0].toPrecision(3)}, ${tf.memory().numTensors} tensors`);
  for (const t of [params, state.m, state.v, grads]) disposeTree(t);
  value.dispose();
  ({ params, state } = next);
}

const file = join(tmpdir(), "tavt-example-block.safetensors");
saveCheckpoint(file, params, { step: "100" }); // atomic: temp file, then rename
const loaded = loadCheckpoint(file, { expect: params });
console.log(`reloaded ${file}: metadata step = ${loaded.metadata.step}`);
