import { readFileSync } from "node:fs";

/** A UTF-8 text file's content (readText.browser.ts: none, a page has no file system). */
export function readTextFile(path: string): string {
  return readFileSync(path, "utf8");
}
