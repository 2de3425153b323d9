import { rng } from "@tavt/core";

/** n points around k centres (standard normal centres times `spread`, isotropic noise `noise`), seeded. */
export function blobs(seed: number, n: number, dim: number, k: number, spread: number, noise: number) {
  const key = rng.key(seed);
  const [kc, kl, kz] = rng.split(key, 3);
  const centres = rng.normalArray(kc!, k * dim).map((v) => v * spread);
  const truth = rng.randint(kl!, n, k);
  const z = rng.normalArray(kz!, n * dim);
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) data[i * dim + d] = centres[truth[i]! * dim + d]! + noise * z[i * dim + d]!;
  }
  return { data, truth, centres };
}
