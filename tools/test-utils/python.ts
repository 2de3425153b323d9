import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { it } from "vitest";

/*
 * Interop tests: Python's numpy and h5py read what we write. Outside CI a machine without them skips such a test,
 * naming what is missing; under CI=true the test fails instead, because .ci/run installs Debian's python3-numpy and
 * python3-h5py where they are missing, so a skip there would hide a broken CI machine. Imported by relative path
 * (like fixture.ts), so no package depends on anything for it.
 */
/** The interpreter: Debian's, where apt puts python3-numpy and python3-h5py; TAVT_PYTHON overrides it. */
export const PYTHON = process.env.TAVT_PYTHON || "/usr/bin/python3";

/** True where the environment says this is a CI run (CI=true, as CI services set it; CI=1 also counts). */
export const inCi = (): boolean => process.env.CI === "true" || process.env.CI === "1";

export interface PythonReader {
  /** every module imports */
  ok: boolean;
  /** what is missing, for the skip or failure message ("" when ok) */
  reason: string;
}

const seen = new Map<string, PythonReader>();

/** Whether /usr/bin/python3 exists and imports every module in `modules` (checked once per set of modules). */
export function pythonWith(...modules: string[]): PythonReader {
  const key = modules.join(",");
  const known = seen.get(key);
  if (known) return known;
  let found: PythonReader;
  if (!existsSync(PYTHON)) found = { ok: false, reason: `${PYTHON} not found` };
  else {
    const r = spawnSync(PYTHON, ["-c", `import ${key}`], { stdio: "ignore" });
    found = r.status === 0 ? { ok: true, reason: "" } : { ok: false, reason: `${PYTHON} cannot import ${key}` };
  }
  seen.set(key, found);
  return found;
}

/**
 * `it(name, fn)` for a test that needs `reader`: runs where the reader is there; skips with the reason in its name
 * where it is not; fails, naming what is missing, where it is not and CI=true.
 */
export function itWithPython(reader: PythonReader, name: string, fn: () => void | Promise<void>, timeout?: number) {
  if (reader.ok) return it(name, fn, timeout);
  if (inCi())
    return it(name, () => {
      throw new Error(
        `CI=true but ${reader.reason}: interop tests must run in CI (.ci/run installs python3-numpy python3-h5py)`,
      );
    });
  return it.skip(`${name} - SKIPPED: ${reader.reason}`, fn);
}
