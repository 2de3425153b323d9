import { initBackend } from "@tavt/core";
import { type Command, Option } from "commander";
import { resolveConfig } from "../config/load";
import { DATA_SOURCES, type ExperimentConfig } from "../config/schema";
import { usageError } from "../errors";
import { Output } from "../output";

/** Options every command takes. */
export interface CommonOptions {
  json?: boolean;
  quiet?: boolean;
}

/** Add `--json` and `--quiet`. */
export function withCommon(cmd: Command): Command {
  return cmd
    .option("--json", "print machine-readable JSON on stdout")
    .option("-q, --quiet", "no progress or notes on stderr");
}

/** Add one usage example to a command's help. */
export function example(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText("after", `\nExample:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`);
}

export function outputOf(o: CommonOptions): Output {
  return new Output({ json: o.json, quiet: o.quiet });
}

/** Options of commands that run an experiment configuration. */
export interface ConfigOptions extends CommonOptions {
  config?: string;
  preset?: string;
  set?: string[];
  seed?: string;
  data?: string;
  annotations?: string;
  features?: string;
  audioFeatures?: string;
  metaLearner?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Add `--config`, `--preset`, `--set`, `--seed` and the data options. */
export function withConfig(cmd: Command): Command {
  return withCommon(cmd)
    .option("-c, --config <file>", "YAML experiment config (see configs/ and the README)")
    .addOption(
      new Option("-p, --preset <name>", "preset the config starts from").choices(["quick", "default", "paper"]),
    )
    .option("--set <key=value>", "override one config key, e.g. --set model.dim=128 (repeatable)", collect, [])
    .option("--seed <n>", "seed of everything random (data, init, sampling, dropout)")
    .addOption(new Option("--data <source>", "dataset").choices([...DATA_SOURCES]))
    .option("--annotations <dir>", "MSR-VTT/MSVD annotation directory, or a dataset directory for --data dir")
    .option("--features <path>", "visual features: .npy directory, .npz or HDF5")
    .option("--audio-features <path>", "audio features: .npy directory, .npz or HDF5");
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw usageError(`${name} ${v}: expected an integer`, { field: name });
  return n;
}

export function parseInt10(name: string, v: string | undefined): number | undefined {
  return int(name, v);
}

/**
 * The resolved config of a command: preset, file, dedicated options, then `--set`s.
 *
 * @param o - The command's options: `--preset`, `--config`, `--set`, `--seed`, `--data`, `--annotations`,
 *   `--features`, `--audio-features`, `--meta-learner`.
 * @param extra - Overrides applied before the dedicated options.
 * @returns The validated experiment config.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for a `--seed` that is not an integer, `BAD_CONFIG` or
 *   `NOT_FOUND` from `resolveConfig`.
 */
export function configOf(o: ConfigOptions, extra: Record<string, unknown> = {}): ExperimentConfig {
  const overrides: Record<string, unknown> = { ...extra };
  const seed = int("--seed", o.seed);
  if (seed !== undefined) overrides.seed = seed;
  const data: Record<string, unknown> = {};
  if (o.data) data.source = o.data;
  if (o.annotations) data.annotations = o.annotations;
  const features: Record<string, unknown> = {};
  if (o.features) features.visual = o.features;
  if (o.audioFeatures) features.audio = o.audioFeatures;
  if (Object.keys(features).length) data.features = features;
  if (Object.keys(data).length) overrides.data = data;
  if (o.metaLearner) overrides.meta = { ...((overrides.meta as object) ?? {}), learner: o.metaLearner };
  return resolveConfig({ preset: o.preset, file: o.config, sets: o.set, overrides });
}

let backendReady: Promise<string> | null = null;

/**
 * Initialise the tensor backend once per process; returns its name.
 *
 * @param out - Where the backend's one-line note goes (none when omitted).
 * @returns The backend's name (the same promise on later calls).
 * @throws `TavtError` (from `@tavt/core`) `BACKEND_UNAVAILABLE` (the promise rejects) when the backend asked for cannot
 *   load.
 */
export function ensureBackend(out?: Output): Promise<string> {
  backendReady ??= initBackend().then((r) => {
    // the reason says why where the backend is not what its package's name promises (tfjs-node-gpu without a GPU)
    // and the detail says how it computes where there is a choice (wasm's matrix-product threads)
    const why = r.reason.includes(";") ? `: ${r.reason}` : "";
    out?.note(`backend: ${r.backend} (${r.package}, ${r.device})${why}${r.detail ? `; ${r.detail}` : ""}`);
    return r.backend;
  });
  return backendReady;
}
