import { TavtError } from "./errors";

/** The browser build's stand-in for node:fs: a page has no file system, so file paths are refused, clearly. */
function noFileSystem(path: string): TavtError {
  return new TavtError(
    "BAD_INPUT",
    `${path}: a browser has no file system; read the file's bytes (a File, a fetch) and decode them instead (decodeCheckpoint, decodeSafetensors, decodeNpy)`,
    { file: path },
  );
}

export function existsSync(path: string): boolean {
  throw noFileSystem(path);
}

export function readFileSync(path: string): Uint8Array {
  throw noFileSystem(path);
}
