import { inflateRawSync } from "node:zlib";

/** Raw-deflate decompression, as a promise so that the browser build (inflate.browser.ts) can use its streams. */
export async function inflateRaw(raw: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(inflateRawSync(raw));
}
