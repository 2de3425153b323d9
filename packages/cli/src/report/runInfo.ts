import { createRequire } from "node:module";
import { join } from "node:path";
import { activeBackend, writeFileAtomic } from "@tavt/core";
import { configToYaml } from "../config/load";
import type { ExperimentConfig } from "../config/schema";

const requireHere = createRequire(import.meta.url);

/** The `@tavt` packages whose versions every result records. */
export const TAVT_PACKAGES = [
  "@tavt/core",
  "@tavt/metrics",
  "@tavt/clusters",
  "@tavt/datasets",
  "@tavt/avmm",
  "@tavt/encoder",
  "@tavt/decoder",
  "@tavt/dccl",
  "@tavt/model",
  "@tavt/meta",
  "@tavt/cli",
] as const;

/**
 * Versions of node and of the `@tavt` packages this process runs.
 *
 * @returns The node version and each `@tavt` package's version ("unavailable" where it cannot be read).
 */
export function versions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  for (const name of TAVT_PACKAGES) {
    try {
      out[name] = (requireHere(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = "unavailable";
    }
  }
  return out;
}

/** What makes a result reproducible: the resolved config(s), seed(s), backend, versions, command and time. */
export interface RunInfo {
  command: string;
  seeds: number[];
  backend: string;
  versions: Record<string, string>;
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
  configs: Record<string, ExperimentConfig>;
}

/**
 * What a result records about its run: the command, seeds, configs, backend, versions and start time.
 *
 * @param command - The command line.
 * @param seeds - The seeds used.
 * @param configs - The resolved configs, by name.
 * @returns The run info, with the active backend (or "uninitialised"), versions and start time.
 */
export function runInfo(command: string, seeds: number[], configs: Record<string, ExperimentConfig>): RunInfo {
  let backend = "uninitialised";
  try {
    backend = activeBackend();
  } catch {
    /* backend not initialised yet */
  }
  return { command, seeds, backend, versions: versions(), startedAt: new Date().toISOString(), configs };
}

/**
 * Save the resolved config and seed beside a result: `config.yaml` (one config) or `config.<name>.yaml`
 * (several), and `run.json` with seeds, backend and versions. Atomic writes.
 *
 * @param dir - The result directory.
 * @param info - The run info.
 */
export function saveRunInfo(dir: string, info: RunInfo): void {
  const names = Object.keys(info.configs);
  for (const name of names) {
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    const file = names.length === 1 ? "config.yaml" : `config.${slug}.yaml`;
    writeFileAtomic(join(dir, file), configToYaml(info.configs[name]!));
  }
  writeFileAtomic(join(dir, "run.json"), `${JSON.stringify(info, null, 2)}\n`);
}
