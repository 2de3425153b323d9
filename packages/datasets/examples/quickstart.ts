// Run from packages/datasets after `pnpm --filter @tavt/datasets... build`:
//   ../../benchmarks/node_modules/.bin/tsx examples/quickstart.ts
import { initBackend, rng } from "@tavt/core";
import { buildVocabulary, collate, datasetStats, disposeBatch, EpisodicSampler, makeSynthetic } from "@tavt/datasets";

await initBackend();
const data = makeSynthetic({ seed: 0 }); // 2,000 videos in the paper's 10 domains; no files
const vocab = buildVocabulary(data.videos); // words seen fewer than 3 times become <unk>
const sampler = new EpisodicSampler(data, { seed: 0 }); // Algorithm 1 over the 5 source domains
const mb = sampler.next();
console.log("query", mb.queryDomain, "support", mb.supportDomains.join(","));
const batch = collate(mb.query, vocab, { key: rng.key(0) });
console.log("visual", batch.visual.shape, "audio", batch.audio?.shape, "tokens", batch.tokens.shape);
console.log(batch.ids[0], "->", vocab.decode(batch.tokens.arraySync()[0]!));
disposeBatch(batch);
const stats = await datasetStats(data);
stats.table.print(20);
console.log("vocabulary", stats.vocabularySize);
