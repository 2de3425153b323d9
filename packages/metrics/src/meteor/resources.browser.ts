/**
 * The browser build's resources.ts: the same word list and line splitter, and no file reads. A page passes METEOR's
 * WordNet as bytes (`new MeteorScorer({ wordnet })`); paths are refused with a message that says so.
 */

/**
 * The English function-word list of Meteor 1.5 (resources/function/english.words), used to weight content
 * and function words (parameter delta).
 */
export const FUNCTION_WORDS_EN: ReadonlySet<string> = new Set([
  ..."the , . to of and a in that for \" is on 's it with was as said at he by be from have has are his but an this not i will \u2019 they ) -rrb- ( -lrb- who their had we which were been more or s its would about new one after you : also up when there than $ all out her people she year two - can if last first \u201c over other \u201d into some what so -- no time years could ? 't \u2014 '".split(
    " ",
  ),
]);

const NO_FILES =
  "@tavt/metrics in a browser reads no files: give METEOR its WordNet as bytes, new MeteorScorer({ wordnet: { synsets, exceptions } }) (the package's data/english.synsets.gz and english.exceptions.gz, gunzipped), and score(refs, cands, { meteor: thatScorer })";

export function packageDataDir(): string {
  throw new Error(NO_FILES);
}

export function readResource(_dir: string, _name: string): string {
  throw new Error(NO_FILES);
}

export function readResourceBytes(_dir: string, _name: string): Uint8Array {
  throw new Error(NO_FILES);
}

export function readTextMaybeGzip(path: string): string {
  throw new Error(`${path}: ${NO_FILES}`);
}

/** Lines as Java's BufferedReader.readLine gives them (\n, \r or \r\n; no trailing empty line). */
export function readLines(text: string): string[] {
  const lines = text.includes("\r") ? text.split(/\r\n|\r|\n/) : text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
