import { existsSync, statSync } from "node:fs";
import { basename, extname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TavtError } from "@tavt/core";
import { type MetaLearner, type MetaLearnerFactory, registerMetaLearner } from "@tavt/meta";

/** The export names a learner module may use for its factory, in the order they are looked up. */
export const LEARNER_EXPORTS = ["default", "createMetaLearner", "factory"] as const;

/**
 * Whether `--meta-learner` / `meta.learner` names a file (a path, or a name ending in .mjs/.js/.cjs) rather than a registered learner.
 *
 * @param spec - The `meta.learner` value.
 * @returns True for a path or a `.mjs`/`.js`/`.cjs` name.
 */
export function isLearnerFile(spec: string): boolean {
  return spec.includes("/") || spec.includes("\\") || /\.(mjs|cjs|js)$/.test(spec);
}

/**
 * The registry name a learner file gets: its file name without the extension, e.g. `my-learner`.
 *
 * @param spec - A learner file's path.
 * @returns Its base name without the extension, other characters than letters, digits, `_` and `-` replaced by `_`
 *   ("custom" when empty).
 */
export function learnerFileName(spec: string): string {
  const base = basename(spec, extname(spec)).replace(/[^A-Za-z0-9_-]/g, "_");
  return base.length > 0 ? base : "custom";
}

const loaded = new Map<string, string>();

/**
 * Load a user's meta-learner module and register its factory (the `registerMetaLearner` signature,
 * `(config) => MetaLearner`) under the file's name; returns that name. The module exports the factory as
 * `default`, `createMetaLearner` or `factory`. A missing file, a module that fails to load, or one without such an
 * export is a one-line `TavtError` (exit 2 from the CLI) naming the file.
 *
 * @param spec - The module's path.
 * @param baseDir - What a relative path is resolved against (the working directory by default).
 * @returns The name the factory is registered under.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_INPUT` for a module that fails to load
 *   or exports no factory.
 */
export async function loadLearnerFile(spec: string, baseDir: string = process.cwd()): Promise<string> {
  const file = isAbsolute(spec) ? spec : resolve(baseDir, spec);
  const known = loaded.get(file);
  if (known) return known;
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new TavtError("NOT_FOUND", `meta-learner ${spec}: no such file (${file})`, { file, field: "meta.learner" });
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new TavtError("BAD_INPUT", `meta-learner ${spec}: the module failed to load: ${(e as Error).message}`, {
      file,
    });
  }
  const key = LEARNER_EXPORTS.find((k) => typeof mod[k] === "function");
  if (!key) {
    const has = Object.keys(mod);
    throw new TavtError(
      "BAD_INPUT",
      `meta-learner ${spec}: expected a default export (or "createMetaLearner") that is a function (config) => MetaLearner, as registerMetaLearner takes; the module exports ${has.length ? has.join(", ") : "nothing"}`,
      { file, exports: has },
    );
  }
  const factory = mod[key] as MetaLearnerFactory;
  const name = learnerFileName(spec);
  registerMetaLearner(name, checkedFactory(spec, factory), { replace: true });
  loaded.set(file, name);
  return name;
}

/** The factory, with its result checked for the MetaLearner shape (a clear error instead of a crash mid-run). */
function checkedFactory(spec: string, factory: MetaLearnerFactory): MetaLearnerFactory {
  return (config) => {
    const learner = factory(config) as Partial<MetaLearner> | null | undefined;
    const missing = (["init", "step", "adapt", "disposeState"] as const).filter(
      (m) => typeof learner?.[m] !== "function",
    );
    if (!learner || missing.length > 0 || typeof learner.config !== "object") {
      throw new TavtError(
        "BAD_INPUT",
        `meta-learner ${spec}: the factory did not return a MetaLearner (missing ${missing.length ? missing.join(", ") : "config"}); build one with makeMetaLearner`,
        { missing },
      );
    }
    return learner as MetaLearner;
  };
}

/**
 * The registry name of `meta.learner`: itself for a registered name, the file's name for a file (loaded first).
 *
 * @param spec - The `meta.learner` value.
 * @returns The name to pass to `getMetaLearner`.
 * @throws `TavtError` (from `@tavt/core`) as `loadLearnerFile` for a file.
 */
export async function resolveLearnerName(spec: string): Promise<string> {
  return isLearnerFile(spec) ? loadLearnerFile(spec) : spec;
}
