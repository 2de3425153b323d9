import { readFileSync } from "node:fs";
import { TavtError } from "@tavt/core";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { z } from "zod";
import { PRESET_NAMES, PRESETS, type PresetName } from "./presets";
import { type ExperimentConfig, experimentSchema } from "./schema";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `over` merged into `base`: objects key by key, everything else (arrays too) replaced.
 *
 * @param base - The value to start from.
 * @param over - The value merged in.
 * @returns The merged value (new objects; `base` is unchanged).
 */
export function deepMerge(base: Json, over: Json): Json {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k]!, v) : v;
  return out;
}

/** The zod type at a dotted path of the experiment schema (optional/nullable/default unwrapped), or null. */
function schemaAt(path: string[]): { schema: z.ZodType; nullable: boolean } | null {
  let s: z.ZodType = experimentSchema;
  let nullable = false;
  const unwrap = () => {
    for (;;) {
      const def = (s as unknown as { def: { type: string; innerType?: z.ZodType } }).def;
      if ((def.type === "optional" || def.type === "nullable" || def.type === "default") && def.innerType) {
        if (def.type === "nullable") nullable = true;
        s = def.innerType;
      } else return def.type;
    }
  };
  for (const key of path) {
    const type = unwrap();
    if (type !== "object") return null;
    const shape = (s as unknown as { shape: Record<string, z.ZodType> }).shape;
    if (!Object.hasOwn(shape, key)) return null;
    s = shape[key]!;
    nullable = false;
  }
  unwrap();
  return { schema: s, nullable };
}

/** The dotted keys one level under `path` (for "unknown key" messages). */
function keysAt(path: string[]): string[] {
  const at = schemaAt(path);
  const shape = at && (at.schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * Parse one `--set key.path=value` override, typing the value by the schema: numbers, booleans, enums, strings,
 * arrays (YAML flow syntax, `[a, b]`), `null` where the key is nullable. Throws BAD_CONFIG naming the key.
 *
 * @param assignment - `key.path=value`.
 * @returns The key path and the typed value.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a missing `=`, an unknown key, or a value of the wrong
 *   type.
 */
export function parseSet(assignment: string): { path: string[]; value: Json } {
  const eq = assignment.indexOf("=");
  if (eq <= 0) {
    throw new TavtError("BAD_CONFIG", `--set ${assignment}: expected key.path=value (e.g. --set model.dim=128)`, {
      field: assignment,
    });
  }
  const key = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1).trim();
  const path = key.split(".");
  const at = schemaAt(path);
  if (!at) {
    const parent = path.slice(0, -1);
    const known = keysAt(parent);
    throw new TavtError(
      "BAD_CONFIG",
      `--set ${key}: unknown key "${key}"${known.length ? ` (keys under ${parent.join(".") || "the top"}: ${known.join(", ")})` : ""}`,
      { field: key },
    );
  }
  const type = (at.schema as unknown as { def: { type: string } }).def.type;
  const bad = (expected: string): never => {
    throw new TavtError("BAD_CONFIG", `--set ${key}=${raw}: expected ${expected}`, { field: key, expected });
  };
  if (raw === "null") {
    if (!at.nullable) bad(`a ${type}, not null`);
    return { path, value: null };
  }
  switch (type) {
    case "number": {
      const n = Number(raw);
      if (raw === "" || !Number.isFinite(n)) bad("a number");
      return { path, value: n };
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") bad("true or false");
      return { path, value: raw === "true" };
    case "string":
    case "enum":
      return { path, value: raw };
    default: {
      let v: unknown;
      try {
        v = parseYaml(raw);
      } catch (e) {
        bad(`YAML (${(e as Error).message.split("\n")[0]})`);
      }
      return { path, value: v as Json };
    }
  }
}

/** `{a: {b: value}}` for path ["a", "b"]. */
function nest(path: string[], value: Json): Json {
  return path.reduceRight<Json>((acc, k) => ({ [k]: acc }), value);
}

/**
 * One line per zod issue: `model.dim: expected number, received string`.
 *
 * @param error - zod's validation error.
 * @param where - What was validated (a file name or "preset ..."), put first.
 * @returns The issues on one line.
 */
export function formatIssues(error: z.ZodError, where: string): string {
  const lines = error.issues.map((i) => {
    const path = i.path.map(String).join(".") || "(top level)";
    return `${path}: ${i.message.replace(/^Invalid input: /, "")}`;
  });
  return `${where}: ${lines.join("; ")}`;
}

/**
 * Validate a plain object as an experiment config; BAD_CONFIG names each key path and what was expected.
 *
 * @param value - A plain object.
 * @param where - What it came from, for the message ("config" by default).
 * @returns The config, with the schema's defaults filled in.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` listing every issue.
 */
export function validateConfig(value: unknown, where = "config"): ExperimentConfig {
  const r = experimentSchema.safeParse(value);
  if (!r.success) throw new TavtError("BAD_CONFIG", formatIssues(r.error, where), { issues: r.error.issues });
  return r.data;
}

/**
 * Read a YAML config file (BAD_CONFIG naming the file, line and column on a syntax error).
 *
 * @param file - A YAML file.
 * @returns Its top-level mapping (empty for an empty file).
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a file that cannot be read, `BAD_CONFIG` for invalid YAML or
 *   a top level that is not a mapping.
 */
export function readConfigFile(file: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new TavtError("NOT_FOUND", `${file}: config file not found`, { file });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0]!.replace(/:\s*$/, "");
    throw new TavtError("BAD_CONFIG", `${file}: not valid YAML: ${msg}`, { file });
  }
  if (doc === null || doc === undefined) return {};
  if (!isObject(doc)) throw new TavtError("BAD_CONFIG", `${file}: expected a YAML mapping at the top level`, { file });
  return doc;
}

/** Options of `resolveConfig`: a preset, a YAML file, option overrides and `--set` strings. */
export interface ResolveConfigOptions {
  /** The preset the rest overrides; default "default" (a file may name one with `preset: quick`). */
  preset?: string;
  /** A YAML config file. */
  file?: string;
  /** `key.path=value` overrides, applied last. */
  sets?: readonly string[];
  /** Overrides from dedicated options (e.g. `--seed`, `--meta-learner`), applied after the file, before `sets`. */
  overrides?: Record<string, unknown>;
}

/**
 * Preset, then YAML file, then option overrides, then `--set`s; validated.
 *
 * @param options - `preset`, `file`, `overrides` and `sets` (`"key.path=value"`), applied in that order.
 * @returns The experiment config `tavt` would run.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` naming the key path and what was expected.
 * @example
 * ```ts
 * const config = resolveConfig({ preset: "quick", sets: ["model.dim=64"] });
 * ```
 */
export function resolveConfig(options: ResolveConfigOptions = {}): ExperimentConfig {
  const fileDoc = options.file ? readConfigFile(options.file) : {};
  const { preset: filePreset, ...fileRest } = fileDoc;
  const presetName = options.preset ?? (typeof filePreset === "string" ? filePreset : "default");
  if (!(PRESET_NAMES as readonly string[]).includes(presetName)) {
    throw new TavtError("BAD_CONFIG", `unknown preset "${presetName}" (expected one of ${PRESET_NAMES.join(", ")})`, {
      field: "preset",
    });
  }
  let doc: Json = structuredClone(PRESETS[presetName as PresetName]) as unknown as Json;
  doc = deepMerge(doc, fileRest);
  if (options.overrides) doc = deepMerge(doc, options.overrides as Json);
  for (const s of options.sets ?? []) {
    const { path, value } = parseSet(s);
    doc = deepMerge(doc, nest(path, value));
  }
  return validateConfig(doc, options.file ?? `preset ${presetName}`);
}

/**
 * The config as YAML (what is saved beside every result as `config.yaml`).
 *
 * @param config - The experiment config.
 * @returns Its YAML text.
 */
export function configToYaml(config: ExperimentConfig): string {
  return stringifyYaml(config);
}
