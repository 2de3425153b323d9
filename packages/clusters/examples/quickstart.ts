// Run from packages/clusters after `pnpm --filter "@tavt/clusters..." build`:
//   ../../benchmarks/node_modules/.bin/tsx examples/quickstart.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  adjustedRandIndex,
  assignUnits,
  buildAuditorySpace,
  kmeans,
  loadAuditorySpace,
  predict,
  saveAuditorySpace,
} from "@tavt/clusters";

// 3,000 points in 2-D around 3 centres.
const truth = [0, 0, 8, 8, -8, 6];
const n = 3000;
const data = new Float32Array(n * 2);
const labels: number[] = [];
let s = 1;
const noise = () => {
  s = (s * 16807) % 2147483647; // a tiny seeded generator (Park-Miller)
  return (s / 2147483647 - 0.5) * 3;
};
for (let i = 0; i < n; i++) {
  const c = i % 3;
  labels.push(c);
  data[2 * i] = truth[2 * c]! + noise();
  data[2 * i + 1] = truth[2 * c + 1]! + noise();
}
const r = kmeans(data, n, 2, { k: 3, seed: 0, nInit: 3 });
console.log(
  `inertia ${r.inertia.toFixed(1)} after ${r.iterations} iterations; ARI ${adjustedRandIndex(r.labels, labels)}`,
);
console.log("point (7.5, 8.2) is in cluster", predict(new Float32Array([7.5, 8.2]), 1, 2, r.centers)[0]);

// An auditory space from per-video audio features: 20 videos x 12 frames x 4 features, units of T = 3 frames.
const videos = Array.from({ length: 20 }, (_, v) => ({
  data: Float32Array.from({ length: 12 * 4 }, (_, j) => ((v + Math.floor(j / 12)) % 4) + noise() / 10),
  frames: 12,
  dim: 4,
}));
const space = buildAuditorySpace(videos, { k: 4, unit: 3, seed: 1, source: "quickstart audio" });
const file = join(mkdtempSync(join(tmpdir(), "clusters-")), "space.safetensors");
saveAuditorySpace(file, space);
const back = loadAuditorySpace(file);
console.log(`space: K=${back.k}, T=${back.unit}, dim=${back.dim}, inertia ${back.inertia.toFixed(3)}`);
console.log("video 0's units -> prototypes", Array.from(assignUnits(back, videos[0]!)));
