import { rng, type tf } from "@tavt/core";
import type { TavtConfig } from "../src";

/** A random cluster bank M [K, da] for a configuration (the real one comes from @tavt/clusters). */
export function randomBank(config: TavtConfig, seed = 5): tf.Tensor2D {
  return rng.normal(rng.key(seed), [config.clusters, config.audioDim]) as tf.Tensor2D;
}
