/**
 * Eq. 8 over a batch against eq. 8 over the data. The paper defines W_ma^i as the mean of alpha_av / alpha_va over
 * the N data samples of word i; the loss computes it over the words of each training batch (a pure loss of one
 * batch is what MAML differentiates). This measures how far apart the two are for meta-trained TAVT: the data mean
 * of every word over all source-domain training videos (teacher-forced, no dropout), against the batch mean of the
 * same tokens in the episodic sampler's batches, as written and scaled to mean 1 per batch (model.wmaNormalize).
 */
import { join } from "node:path";
import {
  batchOf,
  ensureBackend,
  markdownTable,
  prepareExperiment,
  resolveConfig,
  samplerOf,
  trainExperiment,
} from "@tavt/cli";
import { disposeTree, rng, writeFileAtomic } from "@tavt/core";
import { type CaptionBatch, disposeBatch, miniBatches } from "@tavt/datasets";
import { type TavtConfig, tokenGateRatios } from "@tavt/model";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { settings } from "./lib/settings";

const DESCRIPTION =
  "Eq. 8 over one batch against eq. 8 over the data: how far the batch-mean W_ma of meta-trained TAVT is from the per-word data mean.";

interface Tokens {
  words: number[];
  ratios: number[];
}

function tokensOf(
  params: Parameters<typeof tokenGateRatios>[0],
  batch: CaptionBatch,
  config: TavtConfig,
  bank: Parameters<typeof tokenGateRatios>[2]["bank"],
): Tokens {
  const g = tokenGateRatios(params, batch, { config, bank });
  const [r, t, m] = [g.ratio.dataSync(), g.target.dataSync(), g.mask.dataSync()];
  for (const x of [g.ratio, g.target, g.mask]) x.dispose();
  const out: Tokens = { words: [], ratios: [] };
  for (let i = 0; i < m.length; i++) {
    if (m[i]! > 0) {
      out.words.push(t[i]!);
      out.ratios.push(r[i]!);
    }
  }
  return out;
}

/** The per-word mean of `ratios` (eq. 8 over whatever tokens are given), per token. */
function perTokenMean(t: Tokens): number[] {
  const sum = new Map<number, number>();
  const count = new Map<number, number>();
  t.words.forEach((w, i) => {
    sum.set(w, (sum.get(w) ?? 0) + t.ratios[i]!);
    count.set(w, (count.get(w) ?? 0) + 1);
  });
  return t.words.map((w) => sum.get(w)! / count.get(w)!);
}

const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;

function pearson(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

await benchmarkMain({ name: "wma-batch", description: DESCRIPTION }, async (o, out) => {
  const t0 = performance.now();
  await ensureBackend(out);
  const s = settings(o);
  const rows: Record<string, string | number>[] = [];
  for (const seed of o.seeds) {
    const config = resolveConfig({ preset: s.preset, sets: [...s.sets, "model.kind=tavt", `seed=${seed}`] });
    const exp = await prepareExperiment(config);
    out.note(`[seed ${seed}] meta-training TAVT (${config.train.steps} steps)`);
    const trained = await trainExperiment(exp, { out, label: `TAVT s${seed}` });
    const ds = exp.data.dataset;
    // Eq. 8 over the data: every source-domain training video, one caption each.
    const ids = ds.ids({ domains: [...ds.sourceDomains], split: "train" });
    const all: Tokens = { words: [], ratios: [] };
    const dataKey = rng.foldIn(exp.key, "wma-data");
    for (const [i, chunk] of miniBatches(ids, 32).entries()) {
      const b = batchOf(ds.samples(chunk), exp.data, config, rng.foldIn(dataKey, i));
      const t = tokensOf(trained.params, b, exp.modelConfig, exp.bank);
      all.words.push(...t.words);
      all.ratios.push(...t.ratios);
      disposeBatch(b);
    }
    const dataMean = new Map<number, number>();
    perTokenMean(all).forEach((v, i) => {
      dataMean.set(all.words[i]!, v);
    });
    // Eq. 8 over a batch: the sampler's support batches (k videos of one domain).
    const sampler = samplerOf(exp);
    const rel: number[] = [];
    const relNorm: number[] = [];
    const batchW: number[] = [];
    const dataW: number[] = [];
    const episodes = o.quick ? 5 : 40;
    for (let e = 0; e < episodes; e++) {
      const ep = sampler.episodeIds(10_000 + e);
      for (const [j, chunk] of ep.support.entries()) {
        const b = batchOf(
          ds.samples(chunk),
          exp.data,
          config,
          rng.foldIn(rng.foldIn(exp.key, "wma-batch"), e * 16 + j),
        );
        const t = tokensOf(trained.params, b, exp.modelConfig, exp.bank);
        disposeBatch(b);
        const wb = perTokenMean(t);
        const wd = t.words.map((w) => dataMean.get(w) ?? Number.NaN);
        const nb = mean(wb);
        const nd = mean(wd);
        wb.forEach((x, i) => {
          const d = wd[i]!;
          if (!Number.isFinite(d)) return;
          rel.push(Math.abs(x - d) / d);
          relNorm.push(Math.abs(x / nb - d / nd) / (d / nd));
          batchW.push(x);
          dataW.push(d);
        });
      }
    }
    rows.push({
      seed,
      "tokens compared": rel.length,
      "mean abs(W_batch - W_data) / W_data": mean(rel).toFixed(4),
      "the same, both scaled to mean 1": mean(relNorm).toFixed(4),
      "correlation(W_batch, W_data)": pearson(batchW, dataW).toFixed(4),
      "mean W_data": mean(dataW).toFixed(3),
    });
    out.note(`[seed ${seed}] ${JSON.stringify(rows.at(-1))}`);
    disposeTree(trained.params);
    exp.dispose();
    ds.close();
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const md = `## Eq. 8 over a batch against eq. 8 over the data (meta-trained TAVT)\n\n${markdownTable(rows)}\n\nW_data: each word's mean gate ratio over all source-domain training videos; W_batch: its mean over the tokens of one support batch of the episodic sampler (train.batchSize videos of one domain), as the loss computes it. ${seconds} s; printed by \`${commandLine("wma-batch", o)}\`.\n`;
  const dir = resultsDir(o, "wma-batch");
  writeFileAtomic(join(dir, "table.md"), md);
  writeFileAtomic(
    join(dir, "table.json"),
    `${JSON.stringify({ rows, command: commandLine("wma-batch", o), seconds: Number(seconds), date: new Date().toISOString() }, null, 1)}\n`,
  );
  out.print(md);
});
