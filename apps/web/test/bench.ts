// Captions per second for the example run on the wasm backend: in headless Chromium (the built page) and in Node
// (the same captioning code, apps/web/src/caption.ts, on @tavt/core's Node build). `pnpm nx run web:bench`.
// The machine may be shared: these are figures of the moment, not of a quiet machine; run it again to compare.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { initBackend } from "@tavt/core";
import { openFeatureBytes } from "@tavt/datasets";
import puppeteer from "puppeteer-core";
import { captionStores } from "../src/caption";
import { loadRun } from "../src/run";
import { findChromium, serveStatic } from "./serve";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const example = join(app, "public", "example");
const repeats = Number(process.env.BENCH_REPEATS ?? 5);

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

/** One way of captioning: what it is, and one timed measurement (captions/s over `repeats` passes). */
interface Contender {
  where: string;
  measure(): Promise<number>;
  close(): Promise<void>;
}

async function nodeContender(threads: number): Promise<Contender> {
  const env = { TAVT_WASM_THREADS: String(threads) };
  const report = await initBackend({ backend: "wasm", env });
  const run = await loadRun(example, async (name) => new Uint8Array(readFileSync(join(example, name))));
  const open = (f: string) =>
    openFeatureBytes(join(example, f), new Uint8Array(readFileSync(join(example, f))), {
      dim: f.startsWith("audio") ? run.modelConfig.audioDim : run.modelConfig.visualDim,
    });
  const visual = await open("visual.npz");
  const audio = await open("audio.npz");
  await captionStores(run, visual, audio); // warm-up
  return {
    where: `Node ${process.version} (${report.detail})`,
    async measure() {
      await initBackend({ backend: "wasm", env }); // the thread count of this contender (the pool restarts)
      const t0 = performance.now();
      let videos = 0;
      for (let i = 0; i < repeats; i++) videos += (await captionStores(run, visual, audio)).length;
      return videos / ((performance.now() - t0) / 1000);
    },
    async close() {
      run.dispose();
    },
  };
}

async function chromiumContender(): Promise<Contender> {
  const chromium = findChromium();
  if (!chromium) throw new Error("chromium not found (apt-get install chromium, or set CHROMIUM_PATH)");
  const server = await serveStatic(join(app, "dist"));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
  const page = await browser.newPage();
  await page.goto(`${server.url}?backend=wasm&example=0`);
  await page.waitForFunction(() => window.__tavt?.ready === true, { timeout: 60_000 });
  await page.evaluate(() => window.__tavt.loadExample());
  await page.evaluate(() => window.__tavt.bench(1)); // warm-up
  const detail = await page.evaluate(() => window.__tavt.state.backend?.detail ?? "");
  return {
    where: `headless ${await browser.version()} (page, ${detail})`,
    measure: async () => (await page.evaluate((n) => window.__tavt.bench(n), repeats)).captionsPerSecond,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

// Rounds interleave the contenders, so that a burst of load on the shared machine hits all of them alike.
const contenders = [
  await chromiumContender(),
  await nodeContender(1),
  await nodeContender(Math.min(4, availableParallelism())),
];
const figures: number[][] = contenders.map(() => []);
for (let r = 0; r < rounds; r++) {
  for (const [i, c] of contenders.entries()) figures[i]!.push(await c.measure());
}
for (const c of contenders) await c.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `captions per second, example run (apps/web/public/example: 25 videos, greedy), wasm backend: median of ${rounds} rounds of ${repeats} passes (interleaved), after a warm-up; ${new Date().toISOString()}, ${availableParallelism()} CPU cores (shared: not a quiet-machine figure)`,
);
for (const [i, c] of contenders.entries()) {
  const f = figures[i]!;
  console.log(
    `  ${median(f).toFixed(1).padStart(7)} captions/s  (rounds: ${f.map((x) => x.toFixed(1)).join(", ")})  ${c.where}`,
  );
}
