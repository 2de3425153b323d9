import { TavtError } from "@tavt/core";
import { ZipArchive } from "./zipRead";

/** The browser build's zip.ts: archives come as bytes (`openFeatureBytes`); paths and writing are refused. */

export { bytesSource, crc32, crc32Table, ZipArchive, type ZipEntry, type ZipInflater, type ZipSource } from "./zipRead";

const noFiles = (file: string) =>
  new TavtError("BAD_INPUT", `${file}: a browser has no file system; open the file's bytes with openFeatureBytes`, {
    file,
  });

function refuse(file: string): never {
  throw noFiles(file);
}

export class ZipReader extends ZipArchive {
  constructor(file: string) {
    super(file, refuse(file), { inflate: (raw) => raw, inflatePrefix: (raw) => raw });
  }
}

export function writeZipStored(file: string, _members: Iterable<{ name: string; data: Uint8Array }>): void {
  throw noFiles(file);
}
