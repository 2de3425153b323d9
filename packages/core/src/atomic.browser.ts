import { TavtError } from "./errors";

/** The browser build's writeFileAtomic: a page cannot write files, so it says so (offer a download instead). */
export function writeFileAtomic(path: string, _data: Uint8Array | string): void {
  throw new TavtError("BAD_INPUT", `${path}: a browser cannot write files (offer the bytes as a download instead)`, {
    file: path,
  });
}
