import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { main } from "../src/program";

/** Run the CLI in-process; returns the exit code and what it wrote to stdout and stderr. */
export async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  try {
    const sink = {
      write: (s: string) => {
        stderr += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const code = await main(argv, { stderr: sink });
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export function tempDir(prefix = "tavt-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A tiny experiment: small synthetic data and model, a few steps (seconds on the cpu/wasm backend). */
export const TINY = [
  "data.synthetic.videos=120",
  "data.synthetic.visualDim=24",
  "data.synthetic.audioDim=12",
  "data.maxLen=8",
  "model.dim=8",
  "model.heads=2",
  "model.ffn=16",
  "model.dropout=0.1",
  "space.k=4",
  "train.steps=4",
  "train.batchSize=2",
  "train.checkpointEvery=2",
  "adapt.steps=1",
  "adapt.batchSize=4",
  "eval.limit=3",
].flatMap((s) => ["--set", s]);
