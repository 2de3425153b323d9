import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadCheckpoint, type ParamTree, saveCheckpoint, TavtError } from "@tavt/core";
import type { MetaState } from "@tavt/meta";

/** The training state file in a run directory (parameters, optimiser state, step); rewritten atomically. */
export const STATE_FILE = "checkpoint.safetensors";
/** The trained parameters alone (what `adapt`, `eval` and `caption` load). */
export const MODEL_FILE = "model.safetensors";
/** The vocabulary's file name in a run directory. */
export const VOCAB_FILE = "vocab.json";
/** The auditory space's file name in a run directory. */
export const SPACE_FILE = "space.safetensors";
/** The resolved config's file name in a run directory. */
export const CONFIG_FILE = "config.yaml";

/** Where training stands: the next step to take and what the run was started with. */
export interface TrainStateMeta {
  /** Meta-steps done (the next step's index). */
  step: number;
  /** Total meta-steps of the run. */
  steps: number;
  seed: number;
  learner: string;
}

/**
 * Save theta and the outer optimiser's state (Adam step and moments) in one safetensors file, atomically (temp
 * file + rename), so a run killed at any moment leaves the previous checkpoint or the new one, never half a file.
 * The RNG needs no state: every step's keys are derived from (seed, step).
 *
 * @param dir - The run directory (the file is `checkpoint.safetensors` in it).
 * @param params - theta.
 * @param state - The outer state (step, Adam step and moments).
 * @param meta - The next step, the run's total steps, seed and learner.
 */
export function saveTrainState(dir: string, params: ParamTree, state: MetaState, meta: TrainStateMeta): void {
  saveCheckpoint(
    join(dir, STATE_FILE),
    { params, adam: { m: state.adam.m, v: state.adam.v } },
    {
      format: "tavt-train-state",
      step: String(meta.step),
      steps: String(meta.steps),
      seed: String(meta.seed),
      learner: meta.learner,
      metaStep: String(state.step),
      adamStep: String(state.adam.step),
    },
  );
}

/**
 * Load a training state written by `saveTrainState`; CHECKPOINT_CORRUPT names the file when it is not one.
 *
 * @param dir - The run directory.
 * @returns theta, the outer state and where training stands (new tensors, which the caller disposes).
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` when there is no checkpoint, `CHECKPOINT_CORRUPT` for a file
 *   that is not a training checkpoint.
 */
export function loadTrainState(dir: string): { params: ParamTree; state: MetaState; meta: TrainStateMeta } {
  const file = join(dir, STATE_FILE);
  if (!existsSync(file)) {
    throw new TavtError("NOT_FOUND", `${file}: no training checkpoint to resume from`, { file });
  }
  const { params: tree, metadata } = loadCheckpoint(file);
  const num = (k: string) => {
    const n = Number(metadata[k]);
    if (!Number.isSafeInteger(n)) {
      throw new TavtError("CHECKPOINT_CORRUPT", `${file}: metadata "${k}" is missing or not an integer`, { file });
    }
    return n;
  };
  const adam = tree.adam as ParamTree | undefined;
  if (metadata.format !== "tavt-train-state" || !tree.params || !adam?.m || !adam?.v) {
    throw new TavtError("CHECKPOINT_CORRUPT", `${file}: not a tavt training checkpoint (params, adam.m, adam.v)`, {
      file,
    });
  }
  return {
    params: tree.params as ParamTree,
    state: { step: num("metaStep"), adam: { step: num("adamStep"), m: adam.m as ParamTree, v: adam.v as ParamTree } },
    meta: { step: num("step"), steps: num("steps"), seed: num("seed"), learner: metadata.learner ?? "" },
  };
}

/**
 * Save trained parameters with the model config and the run's seed as metadata.
 *
 * @param path - The safetensors file to write.
 * @param params - The parameters.
 * @param metadata - String metadata (with `format: "tavt-model"` added).
 */
export function saveModel(path: string, params: ParamTree, metadata: Record<string, string>): void {
  saveCheckpoint(path, params, { format: "tavt-model", ...metadata });
}

/**
 * Load trained parameters (CHECKPOINT_CORRUPT / CHECKPOINT_MISMATCH name the file and the problem).
 *
 * @param path - A file written by `saveModel`.
 * @param expect - A tree whose names and shapes the file must match.
 * @returns The parameters (new tensors) and the metadata.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `CHECKPOINT_CORRUPT` for a malformed one,
 *   `CHECKPOINT_MISMATCH` when it does not match `expect`.
 */
export function loadModel(path: string, expect?: ParamTree): { params: ParamTree; metadata: Record<string, string> } {
  if (!existsSync(path)) throw new TavtError("NOT_FOUND", `${path}: model checkpoint not found`, { file: path });
  return loadCheckpoint(path, expect ? { expect } : {});
}
