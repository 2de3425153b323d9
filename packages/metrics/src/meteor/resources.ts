import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/**
 * The English function-word list of Meteor 1.5 (resources/function/english.words), used to weight content
 * and function words (parameter delta).
 */
export const FUNCTION_WORDS_EN: ReadonlySet<string> = new Set([
  ..."the , . to of and a in that for \" is on 's it with was as said at he by be from have has are his but an this not i will \u2019 they ) -rrb- ( -lrb- who their had we which were been more or s its would about new one after you : also up when there than $ all out her people she year two - can if last first \u201c over other \u201d into some what so -- no time years could ? 't \u2014 '".split(
    " ",
  ),
]);

/**
 * Folder holding the WordNet files the package ships (english.synsets.gz, english.exceptions.gz,
 * COPYING.WORDNET): `data/` beside `dist/` in the installed package, or beside `src/` in the repository.
 */
export function packageDataDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "..", "data"), join(here, "..", "..", "data")]) {
    if (existsSync(join(candidate, "english.synsets.gz"))) return candidate;
  }
  throw new Error(`@tavt/metrics: METEOR resources (english.synsets.gz) not found near ${here}`);
}

/** Read `name` from `dir`, gunzipping `name.gz` when the plain file is absent. */
export function readResource(dir: string, name: string): string {
  const plain = join(dir, name);
  if (existsSync(plain)) return readFileSync(plain, "utf8");
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return gunzipSync(readFileSync(gz)).toString("utf8");
  throw new Error(`@tavt/metrics: METEOR resource ${name} not found in ${dir}`);
}

/** The bytes of `name` in `dir`, gunzipped from `name.gz` when the plain file is absent. */
export function readResourceBytes(dir: string, name: string): Uint8Array {
  const plain = join(dir, name);
  if (existsSync(plain)) return readFileSync(plain);
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return gunzipSync(readFileSync(gz));
  throw new Error(`@tavt/metrics: METEOR resource ${name} not found in ${dir}`);
}

/** A text file's content, gunzipped where it starts with gzip's magic bytes. */
export function readTextMaybeGzip(path: string): string {
  const raw = readFileSync(path);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
}

/** Lines as Java's BufferedReader.readLine gives them (\n, \r or \r\n; no trailing empty line). */
export function readLines(text: string): string[] {
  const lines = text.includes("\r") ? text.split(/\r\n|\r|\n/) : text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
