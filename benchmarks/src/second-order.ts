/**
 * How second-order is MAML here? For TAVT on the synthetic data, the share of the exact meta-gradient that its
 * second-order (Hessian-vector) terms make up, |g2 - g1| / |g2| with g1 the first-order (FOMAML) gradient, on a few
 * meta-batches at the initial parameters: under the paper preset (one inner Adam step from zero moments, section
 * 4.2) and under the default preset (one inner SGD step).
 */
import { join } from "node:path";
import { ensureBackend, markdownTable, prepareExperiment, resolveConfig, samplerOf, tasksOf } from "@tavt/cli";
import { disposeTree, rng, writeFileAtomic } from "@tavt/core";
import { disposeBatch } from "@tavt/datasets";
import { type SecondOrderShare, secondOrderShare } from "@tavt/meta";
import { QUICK_CAPS } from "./lib/options";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { meanStd } from "./lib/stats";

const DESCRIPTION =
  "The second-order share of MAML's meta-gradient for TAVT: paper preset (inner Adam) against the default (inner SGD).";

await benchmarkMain({ name: "second-order", description: DESCRIPTION }, async (o, out) => {
  const t0 = performance.now();
  await ensureBackend(out);
  const batches = o.quick ? 1 : 4;
  const cases = [
    { name: "paper preset (inner Adam, lr 1e-4)", preset: "paper" as const, sets: QUICK_CAPS.paper },
    { name: "default preset (inner SGD)", preset: "default" as const, sets: QUICK_CAPS.default },
  ];
  const rows: Record<string, string | number>[] = [];
  const raw: { case: string; seed: number; batch: number; result: SecondOrderShare }[] = [];
  for (const c of cases) {
    for (const seed of o.seeds) {
      const config = resolveConfig({
        preset: c.preset,
        sets: [...c.sets, ...o.sets, "model.kind=tavt", "meta.learner=maml", `seed=${seed}`],
      });
      const exp = await prepareExperiment(config);
      const params = exp.captioner.init(rng.foldIn(exp.key, "init"));
      const sampler = samplerOf(exp);
      for (let b = 0; b < batches; b++) {
        const tasks = tasksOf(exp, sampler, b, rng.foldIn(exp.key, `batch:${b}`));
        const result = secondOrderShare(
          params,
          tasks,
          exp.captioner.lossFn({ training: true }),
          exp.learner.config,
          rng.foldIn(exp.key, `share:${b}`),
        );
        raw.push({ case: c.name, seed, batch: b, result });
        out.note(
          `${c.name} seed ${seed} batch ${b}: share ${result.share.toExponential(3)}, cos ${result.cosine.toFixed(6)}`,
        );
        for (const x of new Set(tasks.flatMap((t) => [...t.support, t.query]))) disposeBatch(x);
      }
      disposeTree(params);
      exp.dispose();
      exp.data.dataset.close();
    }
    const mine = raw.filter((r) => r.case === c.name).map((r) => r.result);
    const share = meanStd(mine.map((r) => r.share));
    const cos = meanStd(mine.map((r) => r.cosine));
    rows.push({
      setting: c.name,
      "meta-batches": mine.length,
      "second-order share ‖g2 − g1‖ / ‖g2‖": `${share.mean.toExponential(2)} ± ${share.std.toExponential(1)}`,
      "cos(g1, g2)": cos.mean.toFixed(6),
    });
  }
  const dir = resultsDir(o, "second-order");
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const md = `## The second-order share of MAML's meta-gradient (TAVT, initial parameters)\n\n${markdownTable(rows)}\n\nSeeds ${o.seeds.join(", ")}; ${seconds} s; printed by \`${commandLine("second-order", o)}\`.\n`;
  writeFileAtomic(join(dir, "table.md"), md);
  writeFileAtomic(
    join(dir, "table.json"),
    `${JSON.stringify({ rows, raw, command: commandLine("second-order", o), seconds: Number(seconds), date: new Date().toISOString() }, null, 1)}\n`,
  );
  out.print(md);
});
