import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { decodeNpy, parseNpyHeader, TavtError } from "@tavt/core";
import { CheckedStore, type FeatureExpectation } from "./store";

/** A directory holding one `<video id>.npy` file per video. */
export class NpyDirStore extends CheckedStore {
  readonly path: string;
  readonly format = "npy" as const;
  private readonly idSet: Set<string>;
  private readonly sorted: string[];

  constructor(dir: string, expect: FeatureExpectation = {}) {
    super(expect);
    this.path = dir;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new TavtError("NOT_FOUND", `${dir}: feature directory not found`, { file: dir });
    }
    this.sorted = readdirSync(dir)
      .filter((f) => f.endsWith(".npy"))
      .map((f) => f.slice(0, -4))
      .sort();
    this.idSet = new Set(this.sorted);
  }

  ids(): string[] {
    return [...this.sorted];
  }

  has(id: string): boolean {
    return this.idSet.has(id);
  }

  protected where(id: string): string {
    return join(this.path, `${id}.npy`);
  }

  protected rawShape(id: string): number[] {
    const file = this.where(id);
    const fd = openSync(file, "r");
    try {
      // Headers are short (numpy pads them to 64 bytes; 2.0 headers may be longer): grow the read until it parses.
      for (let size = 256; ; size *= 4) {
        const buf = new Uint8Array(size);
        const n = readSync(fd, buf, 0, size, 0);
        const header = parseNpyHeader(buf.subarray(0, n), file);
        if (header) return header.shape;
        if (n < size) throw new TavtError("BAD_FILE", `${file}: truncated .npy header`, { file, id });
      }
    } finally {
      closeSync(fd);
    }
  }

  protected rawRead(id: string): Float32Array {
    const file = this.where(id);
    const { data, shape } = decodeNpy(new Uint8Array(readFileSync(file)), file);
    if (shape.length !== 2) throw new TavtError("SHAPE_MISMATCH", `${file}: video "${id}" is not 2-D`, { file, id });
    return data;
  }

  close(): void {}
}
