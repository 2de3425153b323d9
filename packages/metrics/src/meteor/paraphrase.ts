import { javaTokenize } from "../text";
import { readLines, readTextMaybeGzip } from "./resources";

interface State {
  trans: Map<number, State>;
  emit: number[];
}

/**
 * A Meteor paraphrase table (paraphrase-en.gz format: groups of three lines, probability, reference phrase,
 * paraphrase) as the transducer of Meteor 1.5: reference phrases in a word-id trie, each emitting paraphrases.
 */
export class ParaphraseTable {
  private readonly root: State = { trans: new Map(), emit: [] };
  private readonly paraphrases: number[][] = [];
  private readonly vocab = new Map<string, number>();

  constructor(text: string) {
    const lines = readLines(text);
    for (let i = 0; i + 2 < lines.length; i += 3) {
      const ref = javaTokenize(lines[i + 1]!).map((w) => this.map(w));
      const par = javaTokenize(lines[i + 2]!).map((w) => this.map(w));
      let s = this.root;
      for (const w of ref) {
        let next = s.trans.get(w);
        if (!next) {
          next = { trans: new Map(), emit: [] };
          s.trans.set(w, next);
        }
        s = next;
      }
      s.emit.push(this.paraphrases.length);
      this.paraphrases.push(par);
    }
  }

  /** Read a table from a file; gzip is detected by its magic bytes. */
  static load(path: string): ParaphraseTable {
    return new ParaphraseTable(readTextMaybeGzip(path));
  }

  private map(word: string): number {
    let id = this.vocab.get(word);
    if (id === undefined) {
      id = this.vocab.size;
      this.vocab.set(word, id);
    }
    return id;
  }

  /** Word id, or -1 for a word the table does not know. */
  translate(word: string): number {
    return this.vocab.get(word) ?? -1;
  }

  /** [length, paraphrase index] pairs of the reference phrases starting at `start`, shortest first. */
  referencePaths(words: readonly number[], start: number): number[] {
    const out: number[] = [];
    let s: State | undefined = this.root;
    for (let i = 0; i < words.length - start; i++) {
      s = s.trans.get(words[start + i]!);
      if (!s) break;
      for (const e of s.emit) out.push(i + 1, e);
    }
    return out;
  }

  paraphrase(index: number): readonly number[] {
    return this.paraphrases[index]!;
  }
}
