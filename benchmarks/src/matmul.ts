/**
 * Matrix-product speed on each backend, in the four transpose forms training uses (x W^T forward, dy W and x^T dy
 * backward), for config S's shapes at batch 32, plus the batched attention products. Prints GFLOP/s per form
 * (median of timed repeats after a warm-up; CPU time beside wall time, since other work on the machine inflates wall
 * time, though on wasm the CPU time also counts core's worker threads polling for their next product, so there the
 * wall figure is the one to read) and one JSON line.
 *
 *   pnpm nx run benchmarks:matmul                 (tsx src/matmul.ts: native, wasm)
 *   pnpm nx run benchmarks:matmul:quick           (--quick: fewer repeats, a smoke test)
 *   tsx src/matmul.ts --backends native,wasm,cpu
 */
import { initBackend, tf } from "@tavt/core";
import { scriptHelp } from "./lib/help";

const args = process.argv.slice(2);
const quick = scriptHelp(
  "matmul",
  "Matrix-product GFLOP/s on each backend for config S's shapes in all four transpose forms.",
  [
    { flag: "--quick", text: "one shape, fewer repeats (a smoke test)" },
    {
      flag: "--backends <list>",
      text: "comma-separated backends to time (default native,wasm; skipped where one cannot load)",
    },
  ],
);
const at = args.indexOf("--backends");
const backends = (at >= 0 ? args[at + 1]! : "native,wasm").split(",");
const repeats = quick ? 3 : 9;

/** [batch dims, m, k, n]: rows x inner x columns of the product. */
const shapes: [number[], number, number, number][] = quick
  ? [[[], 192, 256, 256]]
  : [
      [[], 768, 256, 256], // attention projections, batch 32 x 24 positions
      [[], 768, 256, 1024], // feed-forward in
      [[], 768, 1024, 256], // feed-forward out
      [[], 608, 256, 3000], // vocabulary logits, batch 32 x 19 tokens
      [[256], 24, 32, 24], // attention scores, 32 videos x 8 heads
    ];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Record<string, unknown>[] = [];
for (const backend of backends) {
  try {
    await initBackend({ backend });
  } catch (e) {
    console.log(`${backend}: skipped (${String(e instanceof Error ? e.message : e).split("\n")[0]})`);
    continue;
  }
  // One untimed pass over every shape first: a backend's first products compile (and on wasm tier up and start
  // core's worker threads), which would otherwise land in the first timed shape.
  for (const [batch, m, k, n] of shapes) {
    tf.tidy(() => tf.matMul(tf.ones([...batch, m, k]), tf.ones([...batch, k, n])).dataSync());
  }
  for (const [batch, m, k, n] of shapes) {
    const flops = 2 * batch.reduce((p, d) => p * d, 1) * m * n * k;
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = tf.randomNormal([...batch, ...(ta ? [k, m] : [m, k])], 0, 1, "float32", 1);
      const b = tf.randomNormal([...batch, ...(tb ? [n, k] : [k, n])], 0, 1, "float32", 2);
      // warm-up: wasm compiles and tiers up (in each worker thread too), buffers settle
      for (let w = 0; w < 3; w++) tf.matMul(a, b, ta, tb).dispose();
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const y = tf.matMul(a, b, ta, tb);
        y.dataSync();
        wall.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
        y.dispose();
      }
      tf.dispose([a, b]);
      const form = `${ta ? "T" : "N"}${tb ? "T" : "N"}`;
      const row = {
        backend,
        shape: `${batch.length ? `${batch.join("x")} x ` : ""}${m}x${k} . ${k}x${n}`,
        form,
        gflops_wall: Number((flops / median(wall) / 1e6).toFixed(1)),
        gflops_cpu: Number((flops / median(cpu) / 1e6).toFixed(1)),
      };
      rows.push(row);
      console.log(
        `${backend.padEnd(7)} ${row.shape.padEnd(26)} ${form}  ${String(row.gflops_wall).padStart(7)} GFLOP/s (wall)  ${String(row.gflops_cpu).padStart(7)} GFLOP/s per CPU-second`,
      );
    }
  }
}
console.log(JSON.stringify({ repeats, rows }));
