import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SGEMM_SHARED_WASM_BASE64, SGEMM_WASM_BASE64 } from "../src/kernels/sgemmWasmModule";

/**
 * The WebAssembly product core ships (src/kernels/sgemmWasmModule.ts, built from wasm/sgemm.c): it must own no
 * memory of its own, since it runs inside tfjs's heap, and it must be what its source compiles to.
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

describe("the shipped sgemm WebAssembly modules", () => {
  for (const [name, b64, shared] of [
    ["main-thread", SGEMM_WASM_BASE64, false],
    ["worker", SGEMM_SHARED_WASM_BASE64, true],
  ] as const) {
    it(`${name} module imports only a memory, exports the product and has no data section`, () => {
      const bytes = decode(b64);
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
      expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual(["workspaceFloats", "sgemm", "sgemmBatch"]);
      expect(sectionIds(bytes)).not.toContain(11); // data
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared });
      expect(() => new WebAssembly.Instance(module, { env: { memory } })).not.toThrow();
    });
  }

  it.skipIf(!hasTool("clang") || !hasTool("llvm-objdump"))(
    "is what wasm/sgemm.c compiles to (scripts/build-sgemm-wasm.mjs --check; needs Debian's clang and lld)",
    () => {
      expect(() =>
        execFileSync("node", [join(root, "scripts", "build-sgemm-wasm.mjs"), "--check"], { stdio: "pipe" }),
      ).not.toThrow();
    },
  );
});
