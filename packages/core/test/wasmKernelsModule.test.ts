import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { WASM_KERNELS_BASE64, WASM_KERNELS_SHARED_BASE64 } from "../src/kernels/wasmKernelsModule";

/**
 * The WebAssembly kernels core ships (src/kernels/wasmKernelsModule.ts, built from wasm/sgemm.c, reduce.c, threefry.c and unary.c):
 * they must own no memory of their own, since they run inside tfjs's heap, and must be what their sources compile to.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The ids of a wasm binary's sections, in order. */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let p = 8;
  while (p < bytes.length) {
    ids.push(bytes[p++]!);
    let size = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[p++]!;
      size |= (b & 127) << shift;
      shift += 7;
    } while (b & 128);
    p += size;
  }
  return ids;
}

const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

function hasTool(name: string): boolean {
  return spawnSync(name, ["--version"], { stdio: "ignore" }).status === 0;
}

describe("core's shipped WebAssembly kernel modules", () => {
  for (const [name, b64, shared] of [
    ["main-thread", WASM_KERNELS_BASE64, false],
    ["worker", WASM_KERNELS_SHARED_BASE64, true],
  ] as const) {
    it(`${name} module imports only a memory, exports the kernels and has no data section`, () => {
      const bytes = decode(b64);
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
      expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual([
        "workspaceFloats",
        "sgemm",
        "sgemmBatch",
        "sumMiddle",
        "threefryFill",
        "dropoutFill",
        "reluF32",
      ]);
      expect(sectionIds(bytes)).not.toContain(11); // data
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared });
      expect(() => new WebAssembly.Instance(module, { env: { memory } })).not.toThrow();
    });
  }

  it.skipIf(!hasTool("clang") || !hasTool("llvm-objdump"))(
    "is what wasm/sgemm.c, reduce.c, threefry.c and unary.c compile to (scripts/build-wasm-kernels.mjs --check; needs Debian's clang and lld)",
    () => {
      expect(() =>
        execFileSync("node", [join(root, "scripts", "build-wasm-kernels.mjs"), "--check"], { stdio: "pipe" }),
      ).not.toThrow();
    },
  );
});
