import { existsSync, readFileSync } from "node:fs";
import { TavtError } from "@tavt/core";

/** Read a text file, or throw NOT_FOUND naming it. */
export function readText(file: string, what: string): string {
  if (!existsSync(file)) throw new TavtError("NOT_FOUND", `${file}: ${what} not found`, { file });
  return readFileSync(file, "utf8");
}

/** Read and parse a JSON file, or throw NOT_FOUND / BAD_FILE naming it. */
export function readJson(file: string, what: string): unknown {
  const text = readText(file, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TavtError("BAD_FILE", `${file}: not valid JSON (${(e as Error).message})`, { file });
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `obj[key]` as an array, or BAD_FILE naming the file and the field. */
export function arrayField(obj: unknown, key: string, file: string): unknown[] {
  const v = isRecord(obj) ? obj[key] : undefined;
  if (!Array.isArray(v)) {
    throw new TavtError("BAD_FILE", `${file}: expected a JSON object with an array "${key}"`, { file, field: key });
  }
  return v;
}

/** `obj[key]` as a string, or BAD_FILE naming the file, the entry and the field. */
export function stringField(obj: unknown, key: string, file: string, where: string): string {
  const v = isRecord(obj) ? obj[key] : undefined;
  if (typeof v !== "string") {
    throw new TavtError("BAD_FILE", `${file}: ${where}: expected a string "${key}", got ${JSON.stringify(v)}`, {
      file,
      field: key,
      where,
    });
  }
  return v;
}
