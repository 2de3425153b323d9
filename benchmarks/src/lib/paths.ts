import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

/**
 * The directories a relative path on a benchmark's command line may be meant from, in order: where the user ran
 * pnpm (INIT_CWD; nx runs the scripts in benchmarks/), the repository root, then benchmarks/ itself.
 */
function callerBases(): string[] {
  return [process.env.INIT_CWD, resolve(process.cwd(), ".."), process.cwd()].filter(
    (b): b is string => typeof b === "string" && b.length > 0,
  );
}

/**
 * An input path (a file or directory that must exist) as the user meant it: an absolute path as is; a relative one
 * from the first of the caller's directory, the repository root and benchmarks/ where it exists, else from the
 * caller's directory (so that the "not found" error names the path the user typed, made absolute).
 */
export function inputPath(spec: string): string {
  if (isAbsolute(spec)) return spec;
  const bases = callerBases();
  for (const base of bases) {
    const p = resolve(base, spec);
    if (existsSync(p)) return p;
  }
  return resolve(bases[0]!, spec);
}

/** An output path (it need not exist yet): relative to the directory the user ran the command in. */
export function outputPath(spec: string): string {
  return resolve(callerBases()[0]!, spec);
}

/** The config keys whose values are input paths; `--set KEY=VALUE` with a relative VALUE is resolved as `inputPath`. */
export const PATH_KEYS = [
  "data.annotations",
  "data.features.visual",
  "data.features.audio",
  "data.target.annotations",
  "data.target.features.visual",
  "space.path",
  "space.corpus",
  "metrics.meteor.paraphraseTable",
] as const;

/** A `--set key=value` with its value made absolute when the key is one of `PATH_KEYS` (null and "" left alone). */
export function resolveSetPath(set: string): string {
  const eq = set.indexOf("=");
  if (eq < 0) return set;
  const key = set.slice(0, eq).trim();
  const value = set.slice(eq + 1).trim();
  const isPath =
    (PATH_KEYS as readonly string[]).includes(key) ||
    (key === "meta.learner" && (value.includes("/") || /\.(mjs|cjs|js)$/.test(value)));
  if (!isPath || value === "" || value === "null" || value === "~") return set;
  return `${key}=${inputPath(value)}`;
}
