/** The browser build's readTextFile: a page has no file system (parse the text you fetched instead: fromJSON). */
export function readTextFile(path: string): string {
  throw new Error(`${path}: a browser has no file system (use Vocabulary.fromJSON on the parsed file)`);
}
