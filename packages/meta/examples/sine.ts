import {
  applyLinear,
  disposeTree,
  initBackend,
  initLinear,
  type LinearParams,
  type ParamTree,
  rng,
  tf,
} from "@tavt/core";
import { getMetaLearner, type LossFn, metaTrain, type Task } from "@tavt/meta";

await initBackend();
type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };
// f_theta: a 1-32-32-1 tanh MLP; the loss is all the meta-learner sees
const k = rng.split(rng.key(0), 3);
const init = {
  l1: initLinear(k[0]!, { inDim: 1, outDim: 32 }),
  l2: initLinear(k[1]!, { inDim: 32, outDim: 32 }),
  l3: initLinear(k[2]!, { inDim: 32, outDim: 1 }),
};
const layer = (p: ParamTree, name: string, x: tf.Tensor) => applyLinear(p[name] as unknown as LinearParams, x);
const mse: LossFn<Batch> = (p, b) =>
  tf.tidy(() => {
    const h = tf.tanh(layer(p, "l2", tf.tanh(layer(p, "l1", b.x)))); // [N, 32]
    return tf.losses.meanSquaredError(b.y, layer(p, "l3", h)) as tf.Scalar;
  });
// a task: y = a sin(x + c) with its own a, c; 10 support and 10 query points
const sine = (a: number, c: number, key: ReturnType<typeof rng.key>, n = 10) => {
  const x = rng.uniform(key, [n, 1], -5, 5) as tf.Tensor2D;
  return { x, y: tf.tidy(() => tf.sin(x.add(c)).mul(a)) as tf.Tensor2D };
};
const task = (key: ReturnType<typeof rng.key>): Task<Batch> => {
  const [u, v] = rng.uniformArray(key, 2);
  const [a, c] = [0.5 + u!, 3 * v!];
  return { support: [sine(a, c, rng.foldIn(key, 1))], query: sine(a, c, rng.foldIn(key, 2)) };
};
const release = (ts: Task<Batch>[]) => {
  for (const t of ts) for (const b of [...t.support, t.query]) tf.dispose([b.x, b.y]);
};

const learner = getMetaLearner("maml", { innerLr: 0.05, outerLr: 0.01 });
const { params, state, reports } = await metaTrain({
  params: init,
  learner,
  loss: mse,
  steps: 250,
  key: rng.key(2),
  sampleTasks: (_step, key) => rng.split(key, 4).map(task),
  releaseTasks: release,
});
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const early = mean(reports.slice(0, 20).map((r) => r.queryLoss));
const late = mean(reports.slice(-20).map((r) => r.queryLoss));
console.log(early.toFixed(3), late.toFixed(3)); // post-adaptation query loss, first and last 20 steps

// meta-test on 10 new tasks: 5 SGD steps (alpha = innerLr) on each support set; adapt returns new tensors
const before: number[] = [];
const after: number[] = [];
for (let i = 0; i < 10; i++) {
  const target = task(rng.key(100 + i));
  const adapted = learner.adapt(params, target.support, mse, { steps: 5 }, rng.key(3));
  before.push(tf.tidy(() => mse(params, target.query, rng.key(0)).dataSync()[0]!));
  after.push(tf.tidy(() => mse(adapted, target.query, rng.key(0)).dataSync()[0]!));
  disposeTree(adapted);
  release([target]);
}
console.log(mean(before).toFixed(3), mean(after).toFixed(3)); // mean query loss before and after adapting
for (const tree of [params, init]) disposeTree(tree);
learner.disposeState(state);
